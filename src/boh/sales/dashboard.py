"""The sales figures on the home dashboard."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from boh.menu.selectors import business_today
from boh.org.access import Actor
from boh.org.models import Location
from boh.sales import selectors
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
