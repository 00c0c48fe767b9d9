"""The sales figures on the home dashboard."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boh.menu.selectors import business_today
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.sales import reports, selectors
from boh.web.dashboard import Figure
from boh.web.templatetags.boh import money


def net_sales_figure(actor: Actor, location: Location | None) -> Figure | None:
    """Yesterday's net sales (by business date) and the codes still waiting to be mapped."""
    yesterday = business_today(actor.organization) - dt.timedelta(days=1)
    report = selectors.sales_report(
        actor,
        date_from=yesterday,
        date_to=yesterday,
        location_id=location.pk if location is not None else None,
    )
    if not report.total.tickets and not report.total.net_sales:
        return None
    waiting = selectors.unmapped_summary(actor)
    detail = _("%(tickets)d tickets, average check %(check)s") % {
        "tickets": report.total.tickets,
        "check": money(report.total.average_check, actor.organization.currency),
    }
    if waiting.codes:
        detail += "; " + ngettext(
            "%(n)d POS code to map", "%(n)d POS codes to map", waiting.codes
        ) % {"n": waiting.codes}
    return Figure(money(report.total.net_sales, actor.organization.currency), detail)


# Locations listed on the AvT card, each with its worst item.
AVT_CARD_LOCATIONS = 3
AVT_CARD_DAYS = 7


def avt_figure(actor: Actor, location: Location | None) -> Figure | None:
    """AvT variance value of the last 7 business dates, with the worst locations (each with
    its worst item), linking to the AvT page of the worst one."""
    if not actor.can(Perm.STOCK_VIEW):
        return None
    date_to = business_today(actor.organization) - dt.timedelta(days=1)
    date_from = date_to - dt.timedelta(days=AVT_CARD_DAYS - 1)
    summary = reports.avt_summary(
        actor,
        date_from=date_from,
        date_to=date_to,
        location_id=location.pk if location is not None else None,
    )
    if not summary.locations:
        return None
    currency = actor.organization.currency
    if summary.pct is not None:
        detail = _("%(pct)s%% of net sales, %(from)s to %(to)s") % {
            "pct": summary.pct,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
        }
    else:
        detail = _("%(from)s to %(to)s") % {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
        }
    lines = []
    for entry in summary.locations[:AVT_CARD_LOCATIONS]:
        text = f"{entry.location.name}: {money(entry.value, currency)}"
        if entry.items:
            _code, name, value = entry.items[0]
            text += (
                " ("
                + _("worst: %(item)s %(value)s")
                % {
                    "item": name,
                    "value": money(value, currency),
                }
                + ")"
            )
        lines.append(text)
    query = urlencode(
        {
            "location": summary.locations[0].location.pk,
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
        }
    )
    return Figure(
        money(summary.value, currency),
        detail,
        lines=tuple(lines),
        url=f"{reverse('sales:avt')}?{query}",
    )
