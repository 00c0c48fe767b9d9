"""Reads of the sales module: tickets, the unmapped queue, and the daily sales facts.

AvT variance and menu engineering live in boh.sales.reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from boh.core.errors import validation_error
from boh.core.numbers import round_money
from boh.menu.models import MenuItem
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.sales import errors
from boh.sales.models import (
    DailyItemSales,
    DailySales,
    DailyTenderSales,
    LineState,
    Ticket,
    TicketLine,
    TicketPayment,
    TicketVersion,
    UnmappedLine,
    UnmappedSale,
)

ZERO = Decimal(0)
VIEW = Perm.SALES_VIEW
# Longest period a report reads at once.
MAX_PERIOD_DAYS = 400


def tickets(
    actor: Actor,
    *,
    location_id: int | None = None,
    business_date: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    source: str | None = None,
    channel: str | None = None,
    waiting: bool | None = None,
    q: str | None = None,
) -> QuerySet[Ticket]:
    """Tickets at locations the actor may see, latest closed first."""
    qs = actor.scope(Ticket.objects.select_related("location"), VIEW, "location_id")
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if business_date is not None:
        qs = qs.filter(business_date=business_date)
    if date_from is not None:
        qs = qs.filter(business_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(business_date__lte=date_to)
    if source:
        qs = qs.filter(source=source.lower())
    if channel:
        qs = qs.filter(channel=channel)
    if waiting is not None:
        qs = qs.filter(waiting_lines__gt=0) if waiting else qs.filter(waiting_lines=0)
    if q:
        qs = qs.filter(external_id__icontains=q)
    return qs.order_by("-closed_at", "-id")


def ticket(actor: Actor, ticket_id: object) -> Ticket:
    """One ticket in the actor's reach, or 404."""
    return actor.get(Ticket.objects.select_related("location"), ticket_id, VIEW, "location_id")


def ticket_lines(ticket: Ticket) -> QuerySet[TicketLine]:
    """The lines of a ticket's current version, in ticket order."""
    return (
        TicketLine.objects.filter(ticket=ticket, version__superseded_at__isnull=True)
        .select_related("menu_item")
        .order_by("line_no")
    )


def ticket_payments(ticket: Ticket) -> QuerySet[TicketPayment]:
    """The payments of a ticket's current version, in the order the POS sent them."""
    return TicketPayment.objects.filter(
        ticket=ticket, version__superseded_at__isnull=True
    ).order_by("line_no")


def ticket_versions(ticket: Ticket) -> QuerySet[TicketVersion]:
    """Every version the POS sent for a ticket, newest first."""
    return TicketVersion.objects.filter(ticket=ticket).order_by("-number")


def unmapped_sales(
    actor: Actor, *, source: str | None = None, kind: str | None = None, open_only: bool = True
) -> QuerySet[UnmappedSale]:
    """Queue rows of the actor's organization: codes with lines waiting, most revenue first."""
    qs = actor.scope(UnmappedSale.objects.all(), VIEW)
    reach = actor.reach(VIEW)
    if reach is not None:
        visible = UnmappedLine.objects.filter(line__ticket__location_id__in=reach).values(
            "unmapped_id"
        )
        qs = qs.filter(pk__in=visible)
    if open_only:
        qs = qs.filter(lines__gt=0)
    if source:
        qs = qs.filter(source=source.lower())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-revenue", "-lines", "source", "code")


def unmapped_sale(actor: Actor, unmapped_id: object) -> UnmappedSale:
    """One queue row of the actor's organization, or 404."""
    return actor.get(UnmappedSale.objects.all(), unmapped_id, VIEW)


def waiting_lines(actor: Actor, unmapped: UnmappedSale) -> QuerySet[TicketLine]:
    """The ticket lines waiting on a queue row, at locations the actor may see."""
    qs = TicketLine.objects.filter(
        pk__in=UnmappedLine.objects.filter(unmapped=unmapped).values("line_id"),
        state=LineState.WAITING,
    ).select_related("ticket", "ticket__location")
    reach = actor.reach(VIEW)
    if reach is not None:
        qs = qs.filter(ticket__location_id__in=reach)
    return qs.order_by("-ticket__closed_at", "line_no")


@dataclass(frozen=True)
class UnmappedSummary:
    """What the dashboard shows of the queue: codes to map, lines and revenue waiting."""

    codes: int
    lines: int
    revenue: Decimal


def unmapped_summary(actor: Actor) -> UnmappedSummary:
    """Codes waiting to be mapped and the sales waiting on them, in the actor's reach."""
    if not actor.can(VIEW):
        return UnmappedSummary(0, 0, ZERO)
    reach = actor.reach(VIEW)
    links = UnmappedLine.objects.filter(unmapped__organization=actor.organization)
    if reach is not None:
        links = links.filter(line__ticket__location_id__in=reach)
    codes = links.aggregate(n=Count("unmapped_id", distinct=True))["n"] or 0
    lines = TicketLine.objects.filter(pk__in=links.values("line_id"), state=LineState.WAITING)
    totals = lines.aggregate(n=Count("id"), revenue=Sum("net_amount"))
    return UnmappedSummary(codes, totals["n"] or 0, round_money(totals["revenue"] or ZERO))


# Daily sales facts


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    """Refuse a reversed period or one longer than MAX_PERIOD_DAYS."""
    if date_to < date_from:
        raise validation_error(errors.BAD_PERIOD, _("The period ends before it starts."), "date_to")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise validation_error(
            errors.BAD_PERIOD,
            _("Ask for at most %(n)d days at once.") % {"n": MAX_PERIOD_DAYS},
            "date_to",
        )


@dataclass
class Figures:
    """Sales of one day, channel or hour: counts and money, with the average check."""

    tickets: int = 0
    covers: int = 0
    gross_sales: Decimal = ZERO
    discounts: Decimal = ZERO
    refunds: Decimal = ZERO
    net_sales: Decimal = ZERO

    def add(self, row: dict[str, object]) -> None:
        self.tickets += int(row["tickets"] or 0)  # type: ignore[call-overload]
        self.covers += int(row["covers"] or 0)  # type: ignore[call-overload]
        self.gross_sales += _money(row["gross_sales"])
        self.discounts += _money(row["discounts"])
        self.refunds += _money(row["refunds"])
        self.net_sales += _money(row["net_sales"])

    @property
    def average_check(self) -> Decimal | None:
        """Net sales per ticket."""
        return round_money(self.net_sales / self.tickets) if self.tickets else None

    @property
    def average_per_cover(self) -> Decimal | None:
        """Net sales per guest."""
        return round_money(self.net_sales / self.covers) if self.covers else None


def _money(value: object) -> Decimal:
    return round_money(Decimal(str(value))) if value is not None else ZERO


@dataclass
class ItemSales:
    menu_item_id: int
    code: str
    name: str
    quantity: Decimal
    net_sales: Decimal


@dataclass
class TenderSales:
    """Payments taken by one tender over a period."""

    tender: str
    payments: int
    amount: Decimal


@dataclass
class SalesReport:
    """Sales of a period at one location or all in reach: per day, channel, hour, menu item."""

    date_from: dt.date
    date_to: dt.date
    location: Location | None
    total: Figures = field(default_factory=Figures)
    days: dict[dt.date, Figures] = field(default_factory=dict)
    channels: dict[str, Figures] = field(default_factory=dict)
    hours: dict[int, Figures] = field(default_factory=dict)
    items: list[ItemSales] = field(default_factory=list)
    tenders: list[TenderSales] = field(default_factory=list)


_SUMS = {
    "tickets": Sum("tickets"),
    "covers": Sum("covers"),
    "gross_sales": Sum("gross_sales"),
    "discounts": Sum("discounts"),
    "refunds": Sum("refunds"),
    "net_sales": Sum("net_sales"),
}


def sales_location(actor: Actor, location_id: int | None) -> Location | None:
    """The location a report is for (None: every location in reach), or 404."""
    if location_id is None:
        return None
    return actor.get(Location.objects.all(), location_id, VIEW, "id")


def sales_report(
    actor: Actor, *, date_from: dt.date, date_to: dt.date, location_id: int | None = None
) -> SalesReport:
    """Net sales, discounts, covers, tickets and average check by day, channel and hour,
    payments by tender, and quantity and revenue per menu item, from the daily facts."""
    check_period(date_from, date_to)
    location = sales_location(actor, location_id)
    facts = actor.scope(DailySales.objects.all(), VIEW, "location_id").filter(
        business_date__gte=date_from, business_date__lte=date_to
    )
    item_facts = actor.scope(DailyItemSales.objects.all(), VIEW, "location_id").filter(
        business_date__gte=date_from, business_date__lte=date_to
    )
    if location is not None:
        facts = facts.filter(location=location)
        item_facts = item_facts.filter(location=location)
    report = SalesReport(date_from, date_to, location)
    for row in facts.values("business_date").annotate(**_SUMS).order_by("business_date"):
        report.days.setdefault(row["business_date"], Figures()).add(row)
        report.total.add(row)
    for row in facts.values("channel").annotate(**_SUMS).order_by("channel"):
        report.channels.setdefault(row["channel"], Figures()).add(row)
    for row in facts.values("hour").annotate(**_SUMS).order_by("hour"):
        report.hours.setdefault(row["hour"], Figures()).add(row)
    sold = (
        item_facts.values("menu_item_id")
        .annotate(quantity=Sum("quantity"), net=Sum("net_sales"))
        .order_by("menu_item_id")
    )
    names = {
        m.pk: m
        for m in MenuItem.objects.filter(organization=actor.organization).only("code", "name")
    }
    for row in sold:
        menu_item = names.get(row["menu_item_id"])
        if menu_item is None:
            continue
        quantity = Decimal(str(row["quantity"] or 0)).quantize(Decimal("0.001"))
        if not quantity and not row["net"]:
            continue
        report.items.append(
            ItemSales(menu_item.pk, menu_item.code, menu_item.name, quantity, _money(row["net"]))
        )
    report.items.sort(key=lambda i: (-i.net_sales, -i.quantity, i.code))

    tender_facts = actor.scope(DailyTenderSales.objects.all(), VIEW, "location_id").filter(
        business_date__gte=date_from, business_date__lte=date_to
    )
    if location is not None:
        tender_facts = tender_facts.filter(location=location)
    for row in (
        tender_facts.values("tender")
        .annotate(payments=Sum("payments"), amount=Sum("amount"))
        .order_by("tender")
    ):
        payments, amount = int(row["payments"] or 0), _money(row["amount"])
        if payments or amount:
            report.tenders.append(TenderSales(row["tender"], payments, amount))
    report.tenders.sort(key=lambda t: (-t.amount, t.tender))
    return report
