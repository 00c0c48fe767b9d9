"""Reads of the stock ledger: on hand now or as of a past time, lots, moves, expiry alerts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Min, QuerySet
from django.utils import timezone

from boh.catalog.models import Category, Item
from boh.core.numbers import QTY_PLACES, VALUE_PLACES, round_cost
from boh.inventory.ledger import sql
from boh.inventory.models import Balance, ItemBalance, Lot, LotStatus, StockMove
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

ZERO = Decimal(0)
DEFAULT_EXPIRY_ALERT_DAYS = 3


@dataclass(frozen=True)
class OnHand:
    location_id: int
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    earliest_expiry: dt.date | None = None


@dataclass(frozen=True)
class LotOnHand:
    lot_id: int | None
    code: str
    expiry_date: dt.date | None
    received_date: dt.date | None
    status: str
    quantity: Decimal
    value: Decimal


def reachable_location(actor: Actor, location_id: int) -> Location:
    """A location whose stock the actor may see, or 404."""
    return actor.get(Location.objects.all(), location_id, Perm.STOCK_VIEW, "id")


def stock_on_hand(
    actor: Actor,
    location_id: int,
    *,
    item_ids: Iterable[int] | None = None,
    as_of: dt.datetime | None = None,
) -> list[OnHand]:
    """Quantity, value and average cost per item at a location, now or as of a past time."""
    location = reachable_location(actor, location_id)
    wanted = set(item_ids) if item_ids is not None else None
    if as_of is not None:
        return _on_hand_as_of(location, wanted, as_of)
    qs = ItemBalance.objects.filter(location=location).exclude(quantity=0, value=0)
    if wanted is not None:
        qs = qs.filter(item_id__in=wanted)
    balances = list(
        qs.select_related("item")
        .only(
            "location_id",
            "item_id",
            "quantity",
            "value",
            "unit_cost",
            "item__code",
            "item__name",
            "item__base_unit",
        )
        .order_by("item__code")
    )
    expiry = dict(
        Balance.objects.filter(location=location, quantity__gt=0, lot__isnull=False)
        .filter(item_id__in=[b.item_id for b in balances])
        .values_list("item_id")
        .annotate(first=Min("lot__expiry_date"))
        .values_list("item_id", "first")
    )
    return [
        OnHand(
            location_id=b.location_id,
            item_id=b.item_id,
            item_code=b.item.code,
            item_name=b.item.name,
            base_unit=b.item.base_unit,
            quantity=b.quantity,
            value=b.value,
            unit_cost=b.unit_cost,
            earliest_expiry=expiry.get(b.item_id),
        )
        for b in balances
    ]


def _on_hand_as_of(location: Location, wanted: set[int] | None, as_of: dt.datetime) -> list[OnHand]:
    params: list[Any] = [location.pk, sql.db_time(as_of)]
    item_sql = ""
    if wanted is not None:
        if not wanted:
            return []
        item_sql = f" AND item_id IN ({','.join(['%s'] * len(wanted))})"
        params.extend(sorted(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT item_id, {sql.exact_sum('quantity', QTY_PLACES)}, "  # noqa: S608
            f"{sql.exact_sum('value', VALUE_PLACES)} FROM {StockMove._meta.db_table} "
            f"WHERE location_id = %s AND happened_at <= %s{item_sql} GROUP BY item_id",
            params,
        )
        sums = {
            item: (sql.from_scaled(q, QTY_PLACES), sql.from_scaled(v, VALUE_PLACES))
            for item, q, v in cursor.fetchall()
        }
    items = Item.objects.filter(pk__in=sums).only("code", "name", "base_unit").order_by("code")
    result = []
    for item in items:
        quantity, value = sums[item.pk]
        if not quantity and not value:
            continue
        result.append(
            OnHand(
                location_id=location.pk,
                item_id=item.pk,
                item_code=item.code,
                item_name=item.name,
                base_unit=item.base_unit,
                quantity=quantity,
                value=value,
                unit_cost=round_cost(value / quantity) if quantity > 0 else ZERO,
            )
        )
    return result


def lots_on_hand(actor: Actor, location_id: int, item_id: int) -> list[LotOnHand]:
    """Lots of an item held at a location, in the order FEFO takes them."""
    location = reachable_location(actor, location_id)
    rows = Balance.objects.filter(
        location=location, item_id=item_id, quantity__gt=0
    ).select_related("lot")
    result = [
        LotOnHand(
            lot_id=b.lot_id,
            code=b.lot.code if b.lot else "",
            expiry_date=b.lot.expiry_date if b.lot else None,
            received_date=b.lot.received_date if b.lot else None,
            status=b.lot.status if b.lot else LotStatus.AVAILABLE,
            quantity=b.quantity,
            value=b.value,
        )
        for b in rows
    ]
    result.sort(
        key=lambda r: (
            r.expiry_date is None,
            r.expiry_date or dt.date.max,
            r.received_date is None,
            r.received_date or dt.date.max,
            r.lot_id is None,
            r.lot_id or 0,
        )
    )
    return result


def current_unit_cost(location_id: int, item_id: int) -> Decimal:
    """The cost an issue of the item at the location would be valued at now."""
    found = (
        ItemBalance.objects.filter(location_id=location_id, item_id=item_id)
        .values_list("unit_cost", flat=True)
        .first()
    )
    return found if found is not None else ZERO


def stock_moves(actor: Actor) -> QuerySet[StockMove]:
    """Moves at locations the actor may see, newest business time first."""
    return actor.scope(StockMove.objects.all(), Perm.STOCK_VIEW, "location_id").order_by(
        "-happened_at", "-id"
    )


def lots(actor: Actor) -> QuerySet[Lot]:
    """Lots of the actor's organization."""
    return actor.scope(Lot.objects.all(), Perm.STOCK_VIEW).select_related("item")


@dataclass(frozen=True)
class TraceRow:
    location_id: int
    location_code: str
    location_name: str
    quantity: Decimal
    kind: str = ""
    source_type: str = ""
    source_id: str = ""
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None


@dataclass
class LotTrace:
    """Where a lot is now, where it came in, and where it went (consumed, wasted, moved)."""

    lot: Lot
    on_hand: list[TraceRow] = field(default_factory=list)
    received: list[TraceRow] = field(default_factory=list)
    consumed: list[TraceRow] = field(default_factory=list)


def lot_traceability(actor: Actor, lot_id: int) -> LotTrace:
    """Forward and backward traceability of a lot across the locations the actor may see."""
    lot = actor.get(Lot.objects.select_related("item"), lot_id, Perm.STOCK_VIEW)
    names = {
        loc.pk: loc
        for loc in Location.objects.filter(organization=actor.organization).only("code", "name")
    }
    trace = LotTrace(lot=lot)
    balances = actor.scope(Balance.objects.all(), Perm.STOCK_VIEW, "location_id").filter(
        lot=lot, quantity__gt=0
    )
    for b in balances.order_by("location_id"):
        loc = names[b.location_id]
        trace.on_hand.append(TraceRow(b.location_id, loc.code, loc.name, b.quantity))
    moves = stock_moves(actor).filter(lot=lot).exclude(quantity=0).order_by("happened_at", "id")
    groups: dict[tuple[int, str, str, str, bool], list[StockMove]] = {}
    for move in moves.only(
        "location_id", "kind", "source_type", "source_id", "quantity", "happened_at"
    ):
        key = (move.location_id, move.kind, move.source_type, move.source_id, move.quantity > 0)
        groups.setdefault(key, []).append(move)
    for (location_id, kind, source_type, source_id, incoming), rows in groups.items():
        loc = names[location_id]
        row = TraceRow(
            location_id,
            loc.code,
            loc.name,
            sum((m.quantity for m in rows), ZERO),
            kind,
            source_type,
            source_id,
            rows[0].happened_at,
            rows[-1].happened_at,
        )
        (trace.received if incoming else trace.consumed).append(row)
    return trace


@dataclass(frozen=True)
class ExpiryAlert:
    location_id: int
    location_name: str
    item_id: int
    item_code: str
    item_name: str
    lot_id: int
    lot_code: str
    expiry_date: dt.date
    days_left: int
    quantity: Decimal
    status: str


@dataclass
class ExpiryAlerts:
    """Lots expiring within their category's alert window, and expired stock still on hand."""

    expiring: list[ExpiryAlert] = field(default_factory=list)
    expired: list[ExpiryAlert] = field(default_factory=list)


def alert_days(categories: Iterable[Category]) -> dict[int, int]:
    """Alert window per category id, inherited from the nearest ancestor that sets one."""
    by_id = {c.pk: c for c in categories}
    result: dict[int, int] = {}
    for category in by_id.values():
        node: Category | None = category
        days = None
        while node is not None:
            if node.expiry_alert_days is not None:
                days = node.expiry_alert_days
                break
            node = by_id.get(node.parent_id) if node.parent_id else None
        result[category.pk] = DEFAULT_EXPIRY_ALERT_DAYS if days is None else days
    return result


def expiry_alerts(
    actor: Actor, location_id: int | None = None, today: dt.date | None = None
) -> ExpiryAlerts:
    """Stock expiring within N days per location (N per item category), and expired stock
    awaiting a waste entry."""
    balances = actor.scope(Balance.objects.all(), Perm.STOCK_VIEW, "location_id").filter(
        quantity__gt=0, lot__expiry_date__isnull=False
    )
    if location_id is not None:
        balances = balances.filter(location_id=reachable_location(actor, location_id).pk)
    days = alert_days(Category.objects.filter(organization=actor.organization))
    horizon = max([*days.values(), DEFAULT_EXPIRY_ALERT_DAYS])
    if today is None:
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(actor.organization.time_zone)).date()
    rows = (
        balances.filter(lot__expiry_date__lte=today + dt.timedelta(days=horizon))
        .select_related("lot", "item", "location")
        .order_by("lot__expiry_date", "location__code", "item__code")
    )
    alerts = ExpiryAlerts()
    for b in rows:
        assert b.lot is not None and b.lot.expiry_date is not None
        left = (b.lot.expiry_date - today).days
        window = (
            days.get(b.item.category_id, DEFAULT_EXPIRY_ALERT_DAYS)
            if b.item.category_id
            else DEFAULT_EXPIRY_ALERT_DAYS
        )
        alert = ExpiryAlert(
            location_id=b.location_id,
            location_name=b.location.name,
            item_id=b.item_id,
            item_code=b.item.code,
            item_name=b.item.name,
            lot_id=b.lot.pk,
            lot_code=b.lot.code,
            expiry_date=b.lot.expiry_date,
            days_left=left,
            quantity=b.quantity,
            status=b.lot.status,
        )
        if left < 0:
            alerts.expired.append(alert)
        elif left <= window:
            alerts.expiring.append(alert)
    return alerts
