"""Demo step of sales: a year of POS tickets per store, ingested through the sales service.

The days are loaded oldest first, so every stock move is posted after the ones before it
and the ledger never revalues. Each day, the stores are restocked before opening
(boh.demo.loaders.replenish) and on Mondays count their stock (boh.demo.loaders.counts),
then the day's tickets (boh.demo.sales_model) are
ingested, which depletes stock by recipe. Each day is its own transaction: what was
loaded shows at once, and an interrupted load goes on from the first day without
tickets. A day that already has demo tickets is left as it is, so loading again the same
day sends nothing, and loading on a later day adds only the days since.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.demo.chain import DemoChain
from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data
from boh.demo.loaders.counts import WeeklyCounts
from boh.demo.loaders.replenish import Mornings
from boh.demo.sales_model import TicketMaker
from boh.inventory.models import MoveKind, StockMove

logger = logging.getLogger(__name__)


def batches(
    tickets: list[dict[str, Any]], max_tickets: int, max_lines: int
) -> Iterator[list[dict[str, Any]]]:
    """Tickets in batches one ingestion call accepts."""
    batch: list[dict[str, Any]] = []
    lines = 0
    for ticket in tickets:
        n = len(ticket["lines"])
        if batch and (len(batch) >= max_tickets or lines + n > max_lines):
            yield batch
            batch, lines = [], 0
        batch.append(ticket)
        lines += n
    if batch:
        yield batch


def history_days(chain: DemoChain) -> list[dt.date]:
    """Business dates of the history: the last `days` days before today, after opening stock."""
    opened = (
        StockMove.objects.filter(organization=chain.organization, kind=MoveKind.OPENING)
        .order_by("happened_at")
        .values_list("happened_at", flat=True)
        .first()
    )
    zone = zoneinfo.ZoneInfo(chain.organization.time_zone)
    first = chain.today - dt.timedelta(days=chain.days)
    if opened is not None:
        first = max(first, opened.astimezone(zone).date() + dt.timedelta(days=1))
    return [first + dt.timedelta(days=n) for n in range((chain.today - first).days)]


def load_sales_history(chain: DemoChain) -> None:
    """POS tickets of every store for the last `days` days, ingested through the sales service."""
    if chain.days == 0:
        return
    try:
        from boh.sales.models import Channel, Ticket
    except ImportError as exc:
        chain.skip(_("Sales history"), exc)
        return
    if not chain.menu_items:
        chain.skip(_("Sales history"), _("there is no menu to sell"))
        return

    org = chain.organization
    if org.negative_stock != "allow":
        # A till never refuses a sale for want of recorded stock: flag it for review instead.
        from boh.org import services as org_services

        chain.organization = org_services.update_organization(chain.actor, negative_stock="allow")
    done_days = set(
        Ticket.objects.filter(organization=org, source=menu_data.POS_SOURCE)
        .values_list("business_date", flat=True)
        .distinct()
    )
    zone = zoneinfo.ZoneInfo(org.time_zone)
    channels = {
        "dine_in": Channel.DINE_IN.value,
        "meituan": Channel.MEITUAN.value,
        "eleme": Channel.ELEME.value,
    }
    makers = {
        store.code: TicketMaker(
            seed=chain.seed,
            store_code=store.code,
            size=float(Decimal(catalog_data.LOCATION_SIZES.get(store.code, "1"))),
            zone=zone,
            source=menu_data.POS_SOURCE,
            channels=channels,
            dishes_sold=chain.scope.dishes,
        )
        for store in chain.stores
    }
    now = timezone.now()
    days = history_days(chain)
    mornings = Mornings(chain)
    counts = WeeklyCounts(chain)
    for n, day in enumerate(days, start=1):
        if day in done_days:
            chain.on_day(n, len(days))
            continue
        with transaction.atomic():
            # Another load (an earlier job a worker still runs) may have done the day since.
            if Ticket.objects.filter(
                organization=org, source=menu_data.POS_SOURCE, business_date=day
            ).exists():
                chain.on_day(n, len(days))
                continue
            mornings.run(day)
            counts.run(day)
            _sell(chain, makers, day, now)
        chain.note(f"{n}/{len(days)}")
        chain.on_day(n, len(days))


def _sell(chain: DemoChain, makers: dict[str, TicketMaker], day: dt.date, now: dt.datetime) -> None:
    """The day's tickets of every store, ingested through the sales service."""
    from boh.sales.services import MAX_LINES, MAX_TICKETS, REJECTED, ingest_tickets

    # One day of every store goes in as few calls as the service takes.
    tickets = [t for store in chain.stores for t in makers[store.code].tickets(day, until=now)]
    for batch in batches(tickets, MAX_TICKETS, MAX_LINES):
        result = ingest_tickets(chain.actor, batch, source=menu_data.POS_SOURCE)
        rejected = [o for o in result.outcomes if o.outcome == REJECTED]
        chain.count("tickets", len(batch) - len(rejected))
        if rejected:
            refused = chain.made.get("tickets refused", 0)
            chain.made["tickets refused"] = refused + len(rejected)
            first_error = rejected[0].errors[0] if rejected[0].errors else None
            logger.warning(
                "demo POS tickets refused on %s: %d (first: %s %s)",
                day,
                len(rejected),
                first_error.field if first_error else "",
                first_error.code if first_error else "",
            )
