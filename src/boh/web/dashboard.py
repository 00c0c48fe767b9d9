"""The home dashboard's key figures: one card per figure, filled by the module that knows it.

A card without a source shows that there is no data yet; a module that can compute the
figure registers a source for the card's key. Sources return text already formatted for
the page (money, percent), or None when there is nothing to show for the selection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm


@dataclass(frozen=True)
class Figure:
    value: str
    detail: str = ""
    # Short ranked lines under the figure (worst first) and the page that explains it.
    lines: tuple[str, ...] = ()
    url: str = ""


Source = Callable[[Actor, Location | None], Figure | None]


@dataclass(frozen=True)
class Card:
    key: str
    title: str | Promise
    perm: str
    hint: str | Promise


@dataclass(frozen=True)
class ShownCard:
    key: str
    title: str | Promise
    hint: str | Promise
    figure: Figure | None


CARDS: tuple[Card, ...] = (
    Card("net_sales", _("Net sales"), Perm.SALES_VIEW, _("Yesterday, by business date")),
    Card("food_cost", _("Food cost %"), Perm.SALES_VIEW, _("Cost of food used / food net sales")),
    Card("avt", _("AvT variance"), Perm.SALES_VIEW, _("Actual minus theoretical usage")),
    Card("stock_value", _("Stock value"), Perm.STOCK_VIEW, _("On hand at cost")),
    Card("waste", _("Waste"), Perm.STOCK_VIEW, _("Value written off this week")),
    Card("open_orders", _("Open purchase orders"), Perm.PURCHASING_VIEW, _("Sent, not received")),
    Card(
        "forecast_accuracy",
        _("Forecast accuracy"),
        Perm.PLANNING_VIEW,
        _("1 - WAPE over the last 4 weeks"),
    ),
)

_SOURCES: dict[str, Source] = {}


def register_source(key: str, source: Source) -> None:
    """Let a module fill the card `key` with its figure."""
    if key not in {c.key for c in CARDS}:
        raise KeyError(key)
    _SOURCES[key] = source


def cards_for(actor: Actor, location: Location | None) -> list[ShownCard]:
    """The cards the actor may see, each with its figure or None when there is no data yet."""
    shown: list[ShownCard] = []
    for card in CARDS:
        if not actor.can(card.perm):
            continue
        source = _SOURCES.get(card.key)
        figure = source(actor, location) if source is not None else None
        shown.append(ShownCard(card.key, card.title, card.hint, figure))
    return shown
