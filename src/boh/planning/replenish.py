"""Replenishment arithmetic: plain values in, plain values out, exact Decimal throughout.

For one item at one location, an order placed now arrives at the first possible delivery
and has to last until the delivery after it. The stock the location holds is played
forward day by day over that window (first-expiring lot used first, lots dropped on the
day after their expiry, orders already placed arriving on their due day), so that

    need = forecast use until the following delivery + safety stock
           - usable on hand (what will not expire before it is used)
           - on order due before the following delivery
           - demand that cannot be served before the delivery anyway

Safety stock is z(service level) x the forecast's standard deviation over the window.
The need is rounded up to the supplier's pack, raised to the MOQ, and capped at what can be
used before the shelf life of the new stock ends. Nothing here reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from statistics import NormalDist
from typing import Any

from boh.core.numbers import ZERO, round_money, round_qty

ONE = Decimal(1)
DAY = dt.timedelta(days=1)

# Warning codes a line or an order can carry; services turn them into translated messages.
NO_SUPPLIER = "no_supplier"
NO_DELIVERY_DAYS = "no_delivery_days"
NO_FORECAST = "no_forecast"
SHELF_LIFE_CAP = "capped_by_shelf_life"
PACK_OUTLASTS_SHELF_LIFE = "pack_outlasts_shelf_life"
SHORT_BEFORE_DELIVERY = "short_before_delivery"
BELOW_MINIMUM = "below_minimum_order_value"


class ReplenishmentError(ValueError):
    """Input the arithmetic cannot work with (a service level of 100% or more)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def z_score(service_level: Decimal) -> Decimal:
    """The standard normal quantile for a service level given as a fraction (0.95 -> 1.6449)."""
    if not ZERO < service_level < ONE:
        raise ReplenishmentError(
            "invalid_service_level",
            f"service level must be above 0% and below 100%, not {service_level * 100}%",
        )
    z = NormalDist().inv_cdf(float(service_level))
    return Decimal(repr(round(z, 4)))


@dataclass(frozen=True)
class DeliveryTerms:
    """When a supplier delivers a location: weekdays (0 = Monday), order cut-off, lead time."""

    weekdays: tuple[int, ...]
    cutoff: dt.time | None = None
    lead_time_days: int = 1


@dataclass(frozen=True)
class DeliveryWindow:
    """The day an order is placed, the delivery it makes, and the delivery after that."""

    order_date: dt.date
    first: dt.date
    following: dt.date
    # Set when the supplier has no delivery days: daily delivery was assumed.
    assumed_daily: bool = False


def delivery_window(terms: DeliveryTerms | None, now: dt.datetime) -> DeliveryWindow:
    """The first delivery an order placed at `now` (local time) can make, and the next one."""
    order_date = now.date()
    weekdays = set(terms.weekdays) if terms is not None else set()
    assumed = not weekdays
    if terms is not None and terms.cutoff is not None and now.time() > terms.cutoff:
        order_date += DAY
    lead = terms.lead_time_days if terms is not None else 1
    first = order_date + dt.timedelta(days=lead)
    if weekdays:
        while first.weekday() not in weekdays:
            first += DAY
    following = first + DAY
    if weekdays:
        while following.weekday() not in weekdays:
            following += DAY
    return DeliveryWindow(order_date, first, following, assumed_daily=assumed)


@dataclass(frozen=True)
class DayDemand:
    """Forecast use of an item on one day: the median and its standard deviation."""

    date: dt.date
    p50: Decimal
    sigma: Decimal = ZERO


@dataclass(frozen=True)
class LotStock:
    """Stock of one lot (or of untracked stock, expiry None) at the location now."""

    quantity: Decimal
    expiry: dt.date | None = None
    lot_id: int | None = None


def take_from_lots(
    lots: Sequence[LotStock], quantity: Decimal, lot_id: int | None = None
) -> list[LotStock]:
    """The lots left after `quantity` is taken: from the given lot, else (or for what that
    lot lacks) first-expiring first. Stock promised elsewhere is not there to use."""
    left = list(lots)
    order = sorted(
        range(len(left)),
        key=lambda i: (
            left[i].lot_id != lot_id if lot_id is not None else False,
            left[i].expiry is None,
            left[i].expiry or dt.date.max,
        ),
    )
    wanted = quantity
    for i in order:
        if wanted <= 0:
            break
        taken = min(left[i].quantity, wanted)
        left[i] = LotStock(left[i].quantity - taken, left[i].expiry, left[i].lot_id)
        wanted -= taken
    return [lot for lot in left if lot.quantity > 0]


@dataclass(frozen=True)
class Incoming:
    """An open purchase order line for the item, in base units, and the day it is due."""

    quantity: Decimal
    due: dt.date


@dataclass(frozen=True)
class PackTerms:
    """How the supplier sells the item: base units per pack, MOQ in packs, price per pack."""

    pack_factor: Decimal
    moq: Decimal = ZERO
    price: Decimal | None = None


@dataclass(frozen=True)
class LineInput:
    """Everything needed to size one order line."""

    today: dt.date
    window: DeliveryWindow
    demand: Sequence[DayDemand]
    lots: Sequence[LotStock] = ()
    incoming: Sequence[Incoming] = ()
    pack: PackTerms | None = None
    shelf_life_days: int | None = None
    service_level: Decimal = Decimal("0.95")


@dataclass(frozen=True)
class Waste:
    """Stock of a lot that will expire before it is used, if nothing changes."""

    lot_id: int | None
    quantity: Decimal
    expiry: dt.date


@dataclass(frozen=True)
class Explanation:
    """Every number that led to a line's quantity, in base units unless named packs."""

    window_start: dt.date
    delivery: dt.date
    following_delivery: dt.date
    forecast_use: Decimal
    on_hand: Decimal
    expiring_unused: Decimal
    usable_on_hand: Decimal
    on_order: Decimal
    short_before_delivery: Decimal
    service_level: Decimal
    z: Decimal
    safety_stock: Decimal
    need: Decimal
    pack_factor: Decimal | None
    packs_exact: Decimal | None
    packs_rounded: Decimal | None
    moq: Decimal | None
    moq_applied: bool
    shelf_life_days: int | None
    shelf_life_cap_packs: Decimal | None
    capped: bool
    packs: Decimal | None
    quantity: Decimal

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, Decimals as strings."""
        result: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, Decimal):
                result[key] = str(value)
            elif isinstance(value, dt.date):
                result[key] = value.isoformat()
            else:
                result[key] = value
        return result


@dataclass(frozen=True)
class LineResult:
    """The packs (or base quantity) to order of one item, and why."""

    packs: Decimal | None  # None without pack terms (no supplier)
    quantity: Decimal  # base units to order
    amount: Decimal | None
    explanation: Explanation
    warnings: tuple[str, ...] = ()
    waste: tuple[Waste, ...] = ()
    # Whether the order could wait for the following delivery without running short
    # (it only tops up the safety stock).
    can_wait: bool = False


@dataclass
class _Lot:
    quantity: Decimal
    expiry: dt.date | None
    lot_id: int | None
    on_hand: bool


@dataclass
class _Play:
    """What playing the stock forward over some days found."""

    served: Decimal = ZERO
    unmet: Decimal = ZERO
    waste: list[Waste] = field(default_factory=list)


def _expiry_key(lot: _Lot) -> tuple[bool, dt.date]:
    return (lot.expiry is None, lot.expiry or dt.date.max)


def _play(lots: list[_Lot], arrivals: dict[dt.date, Decimal], days: Iterable[DayDemand]) -> _Play:
    """Consume each day's median use first-expiring-first; lots go to waste after expiry."""
    result = _Play()
    for day in days:
        if day.date in arrivals:
            lots.append(_Lot(arrivals.pop(day.date), None, None, on_hand=False))
        for lot in [lot for lot in lots if lot.expiry is not None and lot.expiry < day.date]:
            if lot.quantity > 0 and lot.on_hand:
                assert lot.expiry is not None
                result.waste.append(Waste(lot.lot_id, lot.quantity, lot.expiry))
            lots.remove(lot)
        lots.sort(key=_expiry_key)
        wanted = max(day.p50, ZERO)
        for lot in lots:
            if wanted <= 0:
                break
            taken = min(lot.quantity, wanted)
            if taken > 0:
                lot.quantity -= taken
                wanted -= taken
                result.served += taken
        result.unmet += wanted
    return result


def _days(demand: Sequence[DayDemand], start: dt.date, end: dt.date) -> list[DayDemand]:
    """Forecast days in [start, end); a day the forecast lacks takes the mean of known days."""
    by_date = {d.date: d for d in demand}
    known = list(by_date.values())
    mean_p50 = sum((d.p50 for d in known), ZERO) / len(known) if known else ZERO
    mean_sigma = sum((d.sigma for d in known), ZERO) / len(known) if known else ZERO
    days = []
    day = start
    while day < end:
        days.append(by_date.get(day) or DayDemand(day, mean_p50, mean_sigma))
        day += DAY
    return days


def size_line(line: LineInput) -> LineResult:
    """The quantity to order of one item, with the numbers that explain it."""
    z = z_score(line.service_level)
    window = line.window
    warnings: list[str] = []
    if window.assumed_daily:
        warnings.append(NO_DELIVERY_DAYS)
    if not line.demand:
        warnings.append(NO_FORECAST)
    start = min(line.today, window.first)
    days = _days(line.demand, start, window.following)

    # A negative balance (the ledger allowed stock below zero) holds nothing to use.
    lots = _lots(line)
    on_hand = sum((lot.quantity for lot in lots), ZERO)
    arrivals = _arrivals(line, start, window.following)
    on_order = sum(arrivals.values(), ZERO)

    before = _play(lots, arrivals, [d for d in days if d.date < window.first])
    after = _play(lots, arrivals, [d for d in days if d.date >= window.first])
    waste = before.waste + after.waste
    expiring = sum((w.quantity for w in waste), ZERO)
    usable = on_hand - expiring
    forecast_use = sum((d.p50 for d in days), ZERO)
    variance = sum((d.sigma * d.sigma for d in days), ZERO)
    safety = round_qty(z * variance.sqrt()) if variance > 0 else ZERO
    short_before = before.unmet
    if short_before > 0:
        warnings.append(SHORT_BEFORE_DELIVERY)
    need = round_qty(forecast_use + safety - usable - on_order - short_before)
    need = max(need, ZERO)
    can_wait = need <= safety

    pack = line.pack
    if pack is None:
        warnings.append(NO_SUPPLIER)
        explanation = Explanation(
            window_start=start,
            delivery=window.first,
            following_delivery=window.following,
            forecast_use=round_qty(forecast_use),
            on_hand=round_qty(on_hand),
            expiring_unused=round_qty(expiring),
            usable_on_hand=round_qty(usable),
            on_order=round_qty(on_order),
            short_before_delivery=round_qty(short_before),
            service_level=line.service_level,
            z=z,
            safety_stock=safety,
            need=need,
            pack_factor=None,
            packs_exact=None,
            packs_rounded=None,
            moq=None,
            moq_applied=False,
            shelf_life_days=line.shelf_life_days,
            shelf_life_cap_packs=None,
            capped=False,
            packs=None,
            quantity=need,
        )
        return LineResult(None, need, None, explanation, tuple(warnings), tuple(waste), can_wait)

    exact = need / pack.pack_factor
    rounded = exact.to_integral_value(rounding=ROUND_CEILING)
    packs = rounded
    moq_applied = False
    if packs > 0 and packs < pack.moq:
        packs = pack.moq
        moq_applied = True

    cap: Decimal | None = None
    capped = False
    if line.shelf_life_days is not None and packs > 0:
        cap = _shelf_life_cap(line, start, pack)
        if packs > cap:
            capped = True
            packs = cap
            if cap < pack.moq or cap == 0:
                packs = ZERO
                warnings.append(PACK_OUTLASTS_SHELF_LIFE)
            else:
                warnings.append(SHELF_LIFE_CAP)

    quantity = round_qty(packs * pack.pack_factor)
    amount = round_money(packs * pack.price) if pack.price is not None else None
    explanation = Explanation(
        window_start=start,
        delivery=window.first,
        following_delivery=window.following,
        forecast_use=round_qty(forecast_use),
        on_hand=round_qty(on_hand),
        expiring_unused=round_qty(expiring),
        usable_on_hand=round_qty(usable),
        on_order=round_qty(on_order),
        short_before_delivery=round_qty(short_before),
        service_level=line.service_level,
        z=z,
        safety_stock=safety,
        need=need,
        pack_factor=pack.pack_factor,
        packs_exact=exact.quantize(Decimal("0.0001"), rounding=ROUND_CEILING),
        packs_rounded=rounded,
        moq=pack.moq,
        moq_applied=moq_applied,
        shelf_life_days=line.shelf_life_days,
        shelf_life_cap_packs=cap,
        capped=capped,
        packs=packs,
        quantity=quantity,
    )
    return LineResult(packs, quantity, amount, explanation, tuple(warnings), tuple(waste), can_wait)


def _lots(line: LineInput) -> list[_Lot]:
    return [
        _Lot(lot.quantity, lot.expiry, lot.lot_id, True) for lot in line.lots if lot.quantity > 0
    ]


def _arrivals(line: LineInput, start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
    """Open order quantities due before `end`, by the day they arrive (late ones: at start)."""
    arrivals: dict[dt.date, Decimal] = {}
    for incoming in line.incoming:
        if incoming.due < end and incoming.quantity > 0:
            due = max(incoming.due, start)
            arrivals[due] = arrivals.get(due, ZERO) + incoming.quantity
    return arrivals


def _shelf_life_cap(line: LineInput, start: dt.date, pack: PackTerms) -> Decimal:
    """Whole packs whose contents the median forecast uses before their shelf life ends.

    Stock received on the delivery day lasts shelf_life_days days, that day included. The
    stock already there and the orders arriving meanwhile are used first; what they leave
    unserved in those days is what the new stock can serve.
    """
    assert line.shelf_life_days is not None
    first = line.window.first
    end = first + dt.timedelta(days=line.shelf_life_days)
    lots = _lots(line)
    arrivals = _arrivals(line, start, end)
    _play(lots, arrivals, _days(line.demand, start, first))
    usable = _play(lots, arrivals, _days(line.demand, first, end)).unmet
    return (usable / pack.pack_factor).to_integral_value(rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class MinimumCheck:
    """An order's value against the supplier's minimum order value for the location."""

    total: Decimal
    minimum: Decimal
    shortfall: Decimal
    can_wait: bool

    @property
    def below(self) -> bool:
        return self.shortfall > 0


def check_minimum(lines: Sequence[LineResult], minimum: Decimal) -> MinimumCheck:
    """Whether the order reaches the minimum value, and if not, whether it can wait.

    An order below the minimum can wait to be merged with the next one when every line only
    tops up safety stock (nothing runs short before the following delivery).
    """
    ordered = [ln for ln in lines if ln.packs]
    total = sum((ln.amount or ZERO for ln in ordered), ZERO)
    shortfall = max(minimum - total, ZERO) if ordered else ZERO
    can_wait = bool(ordered) and all(ln.can_wait for ln in ordered)
    return MinimumCheck(round_money(total), minimum, round_money(shortfall), can_wait)


@dataclass(frozen=True)
class Shortage:
    """A location that will run short of an item before its next delivery."""

    location_id: int
    group: str  # locations in the same group are near enough to transfer between
    item_id: int
    quantity: Decimal
    needed_by: dt.date


@dataclass(frozen=True)
class Surplus:
    """Stock of a lot at a location that will expire there unused."""

    location_id: int
    group: str
    item_id: int
    lot_id: int | None
    quantity: Decimal
    expiry: dt.date


@dataclass(frozen=True)
class Transfer:
    """Stock of a lot to move from one location to another."""

    from_location_id: int
    to_location_id: int
    item_id: int
    lot_id: int | None
    quantity: Decimal
    expiry: dt.date


def suggest_transfers(
    shortages: Sequence[Shortage], surpluses: Sequence[Surplus], *, ship_date: dt.date
) -> list[Transfer]:
    """Move stock that would expire unused to a nearby location that runs short, earliest
    expiry first, largest shortage first; a lot expiring before it could arrive stays."""
    left = {id(s): s.quantity for s in surpluses}
    nearby: dict[tuple[int, str], list[Surplus]] = {}
    for surplus in sorted(surpluses, key=lambda s: (s.expiry, s.location_id, s.lot_id or 0)):
        nearby.setdefault((surplus.item_id, surplus.group), []).append(surplus)
    result: list[Transfer] = []
    for short in sorted(shortages, key=lambda s: (-s.quantity, s.location_id, s.item_id)):
        wanted = short.quantity
        for surplus in nearby.get((short.item_id, short.group), ()):
            if wanted <= 0:
                break
            if (
                surplus.location_id == short.location_id
                or surplus.expiry < ship_date
                or left[id(surplus)] <= 0
            ):
                continue
            quantity = min(wanted, left[id(surplus)])
            left[id(surplus)] -= quantity
            wanted -= quantity
            result.append(
                Transfer(
                    surplus.location_id,
                    short.location_id,
                    short.item_id,
                    surplus.lot_id,
                    round_qty(quantity),
                    surplus.expiry,
                )
            )
    return result
