"""AvT variance and menu engineering: what sales should have used and earned, against what was.

AvT (actual vs theoretical) for one location and a period of business dates reads the
stock ledger through the inventory selectors:

    actual = opening + receipts + transfers in - transfers out - waste (+ other flows) - closing
    theoretical = what sales depletion took (kind sale_depletion, reversals included)
    variance = actual - theoretical, in quantity, in value, and as % of net sales

Opening and closing are the ledger's on hand at the period's bounds (a stocktake posted
at a bound makes them the counted figures). The bounds are the location's business day
cut-off: the period 1-7 May of a store cutting off at 04:00 runs from 1 May 04:00 to
8 May 04:00 local time.

Menu engineering ranks the menu items sold at a location by popularity (menu mix against
70% of an even share) and by contribution margin (average price less portion cost, against
the weighted average), into stars, plowhorses, puzzles and dogs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncHour

from boh.catalog.models import Item
from boh.core.numbers import round_money, round_qty, round_value
from boh.inventory.models import MoveKind
from boh.inventory.selectors import stock_moves, stock_on_hand
from boh.menu.costing import portion_costs
from boh.menu.models import MenuItem
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.sales.models import DailyItemSales, DailySales
from boh.sales.selectors import VIEW, check_period

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Moves that bring stock in or send it elsewhere: they enter "actual" as flows.
INFLOWS = (MoveKind.OPENING, MoveKind.RECEIPT, MoveKind.TRANSFER_IN, MoveKind.PRODUCTION_OUTPUT)
OUTFLOWS = (MoveKind.SUPPLIER_RETURN, MoveKind.TRANSFER_OUT, MoveKind.PRODUCTION_CONSUMPTION)
# Share of an even menu mix above which an item counts as popular (Kasavana and Smith).
POPULARITY_FACTOR = Decimal("0.7")


def period_bounds(
    location: Location, date_from: dt.date, date_to: dt.date
) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a period of business dates at a location, as aware datetimes."""
    zone = zoneinfo.ZoneInfo(location.time_zone)
    cutoff = dt.time(location.day_cutoff_hour)
    start = dt.datetime.combine(date_from, cutoff, zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), cutoff, zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass
class Flow:
    quantity: Decimal = ZERO
    value: Decimal = ZERO

    def add(self, quantity: Decimal, value: Decimal) -> None:
        self.quantity += quantity
        self.value += value


@dataclass
class DayVariance:
    business_date: dt.date
    actual: Flow
    theoretical: Flow

    @property
    def variance(self) -> Flow:
        return Flow(
            self.actual.quantity - self.theoretical.quantity,
            self.actual.value - self.theoretical.value,
        )


@dataclass
class ItemVariance:
    """AvT of one item over the period, with the terms of the actual-usage formula."""

    item_id: int
    code: str
    name: str
    base_unit: str
    opening: Flow = field(default_factory=Flow)
    receipts: Flow = field(default_factory=Flow)
    transfers_in: Flow = field(default_factory=Flow)
    transfers_out: Flow = field(default_factory=Flow)
    waste: Flow = field(default_factory=Flow)
    # Production, opening-stock entries and returns to suppliers, signed as stock changes.
    other: Flow = field(default_factory=Flow)
    closing: Flow = field(default_factory=Flow)
    theoretical: Flow = field(default_factory=Flow)
    variance_pct: Decimal | None = None
    days: list[DayVariance] = field(default_factory=list)

    @property
    def actual(self) -> Flow:
        """opening + receipts + transfers in - transfers out - waste + other - closing."""
        parts = (self.opening, self.receipts, self.transfers_in, self.other)
        quantity = sum((p.quantity for p in parts), ZERO)
        value = sum((p.value for p in parts), ZERO)
        quantity -= self.transfers_out.quantity + self.waste.quantity + self.closing.quantity
        value -= self.transfers_out.value + self.waste.value + self.closing.value
        return Flow(quantity, value)

    @property
    def variance(self) -> Flow:
        actual = self.actual
        return Flow(
            actual.quantity - self.theoretical.quantity, actual.value - self.theoretical.value
        )


@dataclass
class AvtReport:
    location: Location
    date_from: dt.date
    date_to: dt.date
    net_sales: Decimal
    items: list[ItemVariance]

    @property
    def variance_value(self) -> Decimal:
        return round_value(sum((i.variance.value for i in self.items), ZERO))

    @property
    def variance_pct(self) -> Decimal | None:
        return _pct(self.variance_value, self.net_sales)


def _pct(value: Decimal, sales: Decimal) -> Decimal | None:
    return round_money(value * HUNDRED / sales) if sales else None


def _business_day(hour: dt.datetime, zone: zoneinfo.ZoneInfo, cutoff: int) -> dt.date:
    return (hour.astimezone(zone) - dt.timedelta(hours=cutoff)).date()


def avt_report(
    actor: Actor,
    *,
    location_id: int,
    date_from: dt.date,
    date_to: dt.date,
    item_id: int | None = None,
) -> AvtReport:
    """Actual vs theoretical usage per item at a location over a period, ranked by the value
    of the variance, with each item's variance by business date."""
    check_period(date_from, date_to)
    location = actor.get(Location.objects.all(), location_id, VIEW, "id")
    actor.require(Perm.STOCK_VIEW, location.pk)
    start, end = period_bounds(location, date_from, date_to)
    zone = zoneinfo.ZoneInfo(location.time_zone)

    moves = stock_moves(actor).filter(
        location_id=location.pk, happened_at__gte=start, happened_at__lt=end
    )
    if item_id is not None:
        moves = moves.filter(item_id=item_id)
    sums = (
        moves.annotate(hour=TruncHour("happened_at", tzinfo=zone))
        .values("item_id", "kind", "hour")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
        .order_by()
    )
    per_item: dict[int, dict[str, Flow]] = defaultdict(lambda: defaultdict(Flow))
    per_day: dict[int, dict[dt.date, tuple[Flow, Flow]]] = defaultdict(dict)
    for summed in sums:
        quantity = round_qty(Decimal(str(summed["quantity"] or 0)))
        value = round_value(Decimal(str(summed["value"] or 0)))
        kind = summed["kind"]
        per_item[summed["item_id"]][kind].add(quantity, value)
        day = _business_day(summed["hour"], zone, location.day_cutoff_hour)
        actual, theoretical = per_day[summed["item_id"]].setdefault(day, (Flow(), Flow()))
        if kind == MoveKind.SALE_DEPLETION:
            theoretical.add(-quantity, -value)
        if kind not in INFLOWS + OUTFLOWS + (MoveKind.WASTE,):
            # Usage a day shows: what left the shelf other than by flows and waste.
            actual.add(-quantity, -value)

    wanted = {item_id} if item_id is not None else None
    opening = {
        on_hand.item_id: on_hand
        for on_hand in stock_on_hand(
            actor, location.pk, item_ids=wanted, as_of=start - dt.timedelta(microseconds=1)
        )
    }
    item_ids = set(per_item) | set(opening)
    items = Item.objects.in_bulk(item_ids)
    result: list[ItemVariance] = []
    for pk in item_ids:
        item = items[pk]
        flows = per_item.get(pk, {})
        row = ItemVariance(pk, item.code, item.name, item.base_unit)
        if pk in opening:
            row.opening = Flow(opening[pk].quantity, opening[pk].value)
        row.receipts = _net(flows, (MoveKind.RECEIPT,))
        row.transfers_in = _net(flows, (MoveKind.TRANSFER_IN,))
        row.transfers_out = _neg(flows, MoveKind.TRANSFER_OUT)
        row.waste = _neg(flows, MoveKind.WASTE)
        row.other = _net(
            flows,
            (
                MoveKind.OPENING,
                MoveKind.PRODUCTION_OUTPUT,
                MoveKind.PRODUCTION_CONSUMPTION,
                MoveKind.SUPPLIER_RETURN,
            ),
        )
        change = _net(flows, tuple(flows))
        row.closing = Flow(row.opening.quantity + change.quantity, row.opening.value + change.value)
        row.theoretical = _neg(flows, MoveKind.SALE_DEPLETION)
        row.days = [
            DayVariance(day, actual, theoretical)
            for day, (actual, theoretical) in sorted(per_day.get(pk, {}).items())
        ]
        if not flows and not row.opening.quantity and not row.opening.value:
            continue
        result.append(row)

    net_sales = _net_sales(actor, location, date_from, date_to)
    for row in result:
        row.variance_pct = _pct(row.variance.value, net_sales)
    result.sort(key=lambda r: (-abs(r.variance.value), -abs(r.variance.quantity), r.code))
    return AvtReport(location, date_from, date_to, net_sales, result)


# The moves that make actual usage differ from theoretical: what the AvT report's formula
# leaves once flows, waste and sales depletion are taken out.
VARIANCE_KINDS = (MoveKind.COUNT_ADJUSTMENT, MoveKind.REVALUATION)


@dataclass
class LocationVariance:
    """AvT variance value of one location over a period, with its worst items."""

    location: Location
    value: Decimal
    # (item code, item name, variance value), worst first.
    items: list[tuple[str, str, Decimal]] = field(default_factory=list)


@dataclass
class AvtSummary:
    """AvT variance value over a period at every location in reach, worst location first."""

    date_from: dt.date
    date_to: dt.date
    value: Decimal
    net_sales: Decimal
    locations: list[LocationVariance]

    @property
    def pct(self) -> Decimal | None:
        return _pct(self.value, self.net_sales)


def avt_summary(
    actor: Actor, *, date_from: dt.date, date_to: dt.date, location_id: int | None = None
) -> AvtSummary:
    """Variance value (actual minus theoretical usage, as avt_report counts it) per location
    and item over a period of business dates, worst location and item first: three queries
    whatever the number of locations."""
    check_period(date_from, date_to)
    places = actor.scope(Location.objects.all(), Perm.STOCK_VIEW, "id")
    if location_id is not None:
        places = places.filter(pk=location_id)
    locations = {loc.pk: loc for loc in places.filter(is_active=True).order_by("code")}
    if not locations:
        return AvtSummary(date_from, date_to, ZERO, ZERO, [])

    window = Q()
    for location in locations.values():
        start, end = period_bounds(location, date_from, date_to)
        window |= Q(location_id=location.pk, happened_at__gte=start, happened_at__lt=end)
    sums = (
        stock_moves(actor)
        .filter(window, kind__in=VARIANCE_KINDS)
        .values("location_id", "item_id")
        .annotate(value=Sum("value"))
        .order_by()
    )
    per_item: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in sums:
        # Stock lost beyond what sales explain shows as negative adjustments: a positive
        # variance is a loss.
        per_item[row["location_id"]][row["item_id"]] = -round_value(Decimal(str(row["value"] or 0)))
    items = Item.objects.in_bulk({pk for found in per_item.values() for pk in found})

    result: list[LocationVariance] = []
    for pk, found in per_item.items():
        entry = LocationVariance(locations[pk], round_value(sum(found.values(), ZERO)))
        entry.items = sorted(
            ((items[i].code, items[i].name, v) for i, v in found.items() if v),
            key=lambda t: (-t[2], t[0]),
        )
        result.append(entry)
    result.sort(key=lambda e: (-e.value, e.location.code))
    net_sales = DailySales.objects.filter(
        organization=actor.organization,
        location_id__in=locations,
        business_date__gte=date_from,
        business_date__lte=date_to,
    ).aggregate(net=Sum("net_sales"))["net"]
    return AvtSummary(
        date_from,
        date_to,
        round_value(sum((e.value for e in result), ZERO)),
        round_money(Decimal(str(net_sales or 0))),
        result,
    )


def _net(flows: dict[str, Flow], kinds: tuple[str, ...]) -> Flow:
    total = Flow()
    for kind in kinds:
        found = flows.get(kind)
        if found is not None:
            total.add(found.quantity, found.value)
    return total


def _neg(flows: dict[str, Flow], kind: str) -> Flow:
    found = flows.get(kind) or Flow()
    return Flow(-found.quantity, -found.value)


def _net_sales(actor: Actor, location: Location, date_from: dt.date, date_to: dt.date) -> Decimal:
    total = (
        actor.scope(DailySales.objects.all(), VIEW, "location_id")
        .filter(location=location, business_date__gte=date_from, business_date__lte=date_to)
        .aggregate(net=Sum("net_sales"))["net"]
    )
    return round_money(Decimal(str(total))) if total is not None else ZERO


# Menu engineering

STAR = "star"
PLOWHORSE = "plowhorse"
PUZZLE = "puzzle"
DOG = "dog"


@dataclass
class EngineeredItem:
    """One menu item's popularity and contribution margin, and its class."""

    menu_item_id: int
    code: str
    name: str
    quantity: Decimal
    net_sales: Decimal
    average_price: Decimal
    portion_cost: Decimal | None
    cost_complete: bool
    margin: Decimal | None
    total_margin: Decimal | None
    mix_pct: Decimal
    popular: bool = False
    profitable: bool = False
    klass: str = ""


@dataclass
class MenuEngineering:
    location: Location
    date_from: dt.date
    date_to: dt.date
    items: list[EngineeredItem]
    popularity_threshold_pct: Decimal
    average_margin: Decimal | None

    def of(self, klass: str) -> list[EngineeredItem]:
        return [i for i in self.items if i.klass == klass]


def menu_engineering(
    actor: Actor, *, location_id: int, date_from: dt.date, date_to: dt.date
) -> MenuEngineering:
    """Stars, plowhorses, puzzles and dogs among the menu items sold at a location in a
    period, costed by the recipes in force on its last day."""
    check_period(date_from, date_to)
    location = actor.get(Location.objects.all(), location_id, VIEW, "id")
    actor.require(Perm.STOCK_VIEW, location.pk)
    sold = (
        DailyItemSales.objects.filter(
            organization=actor.organization,
            location=location,
            business_date__gte=date_from,
            business_date__lte=date_to,
        )
        .values("menu_item_id")
        .annotate(quantity=Sum("quantity"), net=Sum("net_sales"))
        .order_by("menu_item_id")
    )
    figures = {
        row["menu_item_id"]: (
            round_qty(Decimal(str(row["quantity"] or 0))),
            round_money(Decimal(str(row["net"] or 0))),
        )
        for row in sold
    }
    figures = {k: v for k, v in figures.items() if v[0] > 0}
    menu = MenuItem.objects.in_bulk(figures)
    costs = portion_costs(actor.organization_id, list(figures), location_id=location.pk, on=date_to)
    total_qty = sum((q for q, _n in figures.values()), ZERO)
    items: list[EngineeredItem] = []
    for pk, (quantity, net) in figures.items():
        portion = costs.get(pk)
        average = round_money(net / quantity)
        cost = portion.cost if portion is not None else None
        margin = round_money(average - cost) if cost is not None else None
        items.append(
            EngineeredItem(
                menu_item_id=pk,
                code=menu[pk].code,
                name=menu[pk].name,
                quantity=quantity,
                net_sales=net,
                average_price=average,
                portion_cost=cost,
                cost_complete=portion.complete if portion is not None else False,
                margin=margin,
                total_margin=round_money(net - quantity * cost) if cost is not None else None,
                mix_pct=round_money(quantity * HUNDRED / total_qty) if total_qty else ZERO,
            )
        )
    costed = [i for i in items if i.total_margin is not None]
    costed_qty = sum((i.quantity for i in costed), ZERO)
    average_margin = (
        round_money(sum((i.total_margin or ZERO for i in costed), ZERO) / costed_qty)
        if costed_qty
        else None
    )
    threshold = round_money(HUNDRED / len(items) * POPULARITY_FACTOR) if items else ZERO
    for item in items:
        item.popular = item.mix_pct >= threshold
        if item.margin is None or average_margin is None:
            continue
        item.profitable = item.margin >= average_margin
        if item.popular:
            item.klass = STAR if item.profitable else PLOWHORSE
        else:
            item.klass = PUZZLE if item.profitable else DOG
    items.sort(key=lambda i: (-(i.total_margin or ZERO), -i.quantity, i.code))
    return MenuEngineering(location, date_from, date_to, items, threshold, average_margin)
