"""Reads of inventory documents, scoped to the caller's organization and locations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from boh.catalog.models import Barcode, Item, Pack, StorageArea
from boh.core.errors import not_found, permission_denied
from boh.core.numbers import ZERO, round_cost, round_value
from boh.inventory.documents.models import (
    Stocktake,
    StocktakeExpected,
    StocktakeLine,
    Transfer,
    TransferShipment,
    WasteEntry,
)
from boh.inventory.models import Balance, ItemBalance, StockMove
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

# ---------------------------------------------------------------- transfers


def _transfer_scope(actor: Actor, qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    qs = qs.filter(**{f"{prefix}organization": actor.organization})
    reach = actor.reach(Perm.STOCK_VIEW)
    if reach is None:
        return qs
    return qs.filter(
        Q(**{f"{prefix}from_location_id__in": reach}) | Q(**{f"{prefix}to_location_id__in": reach})
    )


def transfers(
    actor: Actor, *, status: str | None = None, location_id: int | None = None
) -> QuerySet[Transfer]:
    """Transfers from or to a location the caller sees, newest first."""
    qs = _transfer_scope(actor, Transfer.objects.select_related("from_location", "to_location"))
    if status:
        qs = qs.filter(status=status)
    if location_id is not None:
        qs = qs.filter(Q(from_location_id=location_id) | Q(to_location_id=location_id))
    return qs.order_by("-id")


def transfer(actor: Actor, transfer_id: Any) -> Transfer:
    """One transfer with its lines and shipped lots; 404 outside the caller's reach."""
    try:
        return (
            transfers(actor)
            .prefetch_related("lines__item", "lines__lot", "lines__shipments__lot")
            .get(pk=transfer_id)
        )
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise not_found(_("Not found.")) from None


@dataclass(frozen=True)
class InTransit:
    """Stock that left one location and has not reached the other (or went missing)."""

    transfer_id: int
    line_id: int
    from_location_id: int
    to_location_id: int
    item_id: int
    item_code: str
    item_name: str
    lot_id: int | None
    lot_code: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    shipped_at: datetime | None
    # "shipped": on the way; "short": received without it, discrepancy still open.
    state: str


def in_transit(actor: Actor, location_id: int | None = None) -> list[InTransit]:
    """Shipped stock not yet received, and shortfalls not yet resolved, per lot."""
    shipped = Q(line__transfer__status=Transfer.Status.SHIPPED)
    short = Q(
        line__transfer__status=Transfer.Status.RECEIVED,
        line__transfer__discrepancy=Transfer.Discrepancy.OPEN,
        short_quantity__gt=0,
    )
    qs = _transfer_scope(actor, TransferShipment.objects.all(), "line__transfer__").filter(
        shipped | short
    )
    if location_id is not None:
        qs = qs.filter(
            Q(line__transfer__from_location_id=location_id)
            | Q(line__transfer__to_location_id=location_id)
        )
    rows: list[InTransit] = []
    for s in qs.select_related("line__transfer", "line__item", "lot").order_by(
        "line__transfer_id", "line__position", "id"
    ):
        t = s.line.transfer
        on_way = t.status == Transfer.Status.SHIPPED
        qty = s.quantity if on_way else s.short_quantity
        rows.append(
            InTransit(
                transfer_id=t.pk,
                line_id=s.line_id,
                from_location_id=t.from_location_id,
                to_location_id=t.to_location_id,
                item_id=s.line.item_id,
                item_code=s.line.item.code,
                item_name=s.line.item.name,
                lot_id=s.lot_id,
                lot_code=s.lot.code if s.lot else "",
                quantity=qty,
                unit_cost=s.unit_cost,
                value=s.value if on_way else round_value(qty * s.unit_cost),
                shipped_at=t.shipped_at,
                state="shipped" if on_way else "short",
            )
        )
    return rows


def transfer_discrepancies(actor: Actor, location_id: int | None = None) -> QuerySet[Transfer]:
    """Received transfers whose short or over quantities are not resolved yet."""
    return transfers(actor, location_id=location_id).filter(
        status=Transfer.Status.RECEIVED, discrepancy=Transfer.Discrepancy.OPEN
    )


# ---------------------------------------------------------------- waste


def waste_entries(
    actor: Actor,
    *,
    location_id: int | None = None,
    reason: str | None = None,
    item_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[WasteEntry]:
    """Waste entries at locations the caller sees, latest first."""
    qs = actor.scope(
        WasteEntry.objects.select_related("item", "lot", "location"), Perm.STOCK_VIEW, "location_id"
    )
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if reason:
        qs = qs.filter(reason=reason)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if since is not None:
        qs = qs.filter(happened_at__gte=since)
    if until is not None:
        qs = qs.filter(happened_at__lt=until)
    return qs.order_by("-happened_at", "-id")


def waste_entry(actor: Actor, waste_id: Any) -> WasteEntry:
    """One waste entry; 404 outside the caller's reach."""
    return actor.get(
        WasteEntry.objects.select_related("item", "lot", "location"),
        waste_id,
        Perm.STOCK_VIEW,
        "location_id",
    )


# ---------------------------------------------------------------- stocktakes

Position = dict[tuple[int, int], tuple[Decimal, Decimal]]


def balances_now(location_id: int, item_ids: Iterable[int] | None) -> Position:
    """(item, lot_key) -> (quantity, value) on hand now."""
    qs = Balance.objects.filter(location_id=location_id)
    if item_ids is not None:
        qs = qs.filter(item_id__in=list(item_ids))
    return {
        (b["item_id"], b["lot_key"]): (b["quantity"], b["value"])
        for b in qs.values("item_id", "lot_key", "quantity", "value")
    }


def position_as_of(location_id: int, item_ids: Iterable[int], at: datetime) -> Position:
    """(item, lot_key) -> (quantity, value) as of `at`: on hand now less what moved since."""
    ids = list(item_ids)
    result = dict(balances_now(location_id, ids))
    later = (
        StockMove.objects.filter(location_id=location_id, item_id__in=ids, happened_at__gt=at)
        .values("item_id", "lot_id")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    )
    for row in later:
        key = (row["item_id"], row["lot_id"] or 0)
        qty, value = result.get(key, (ZERO, ZERO))
        result[key] = (qty - (row["q"] or ZERO), value - (row["v"] or ZERO))
    return result


def stocktakes(
    actor: Actor, *, location_id: int | None = None, status: str | None = None
) -> QuerySet[Stocktake]:
    """Stocktakes at locations the caller sees, latest first."""
    qs = actor.scope(Stocktake.objects.select_related("location"), Perm.STOCK_VIEW, "location_id")
    if location_id is not None:
        qs = qs.filter(location_id=location_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-snapshot_at", "-id")


def stocktake(actor: Actor, stocktake_id: Any) -> Stocktake:
    """One stocktake; 404 outside the caller's reach."""
    return actor.get(
        Stocktake.objects.select_related("location").prefetch_related("areas", "categories"),
        stocktake_id,
        Perm.STOCK_VIEW,
        "location_id",
    )


def stocktake_line(actor: Actor, stocktake: Stocktake, line_id: Any) -> StocktakeLine:
    """One count line of the stocktake; 404 for any other id."""
    try:
        return StocktakeLine.objects.select_related("item", "area").get(
            pk=line_id, stocktake=stocktake
        )
    except (StocktakeLine.DoesNotExist, ValueError, TypeError):
        raise not_found(_("Not found.")) from None


@dataclass(frozen=True)
class SheetArea:
    """One count sheet of a stocktake: a storage area (None: no particular area)."""

    area_id: int | None
    name: str
    sort_order: int
    lines: int
    counted: int


def sheet_areas(stocktake: Stocktake) -> list[SheetArea]:
    """The stocktake's count sheets in walking order, with how far each has got."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for area_key, qty in StocktakeLine.objects.filter(stocktake=stocktake).values_list(
        "area_key", "counted_quantity"
    ):
        totals[area_key][0] += 1
        totals[area_key][1] += qty is not None
    if stocktake.scope == Stocktake.Scope.AREAS:
        areas = list(stocktake.areas.all())
    else:
        areas = list(StorageArea.objects.filter(location_id=stocktake.location_id, is_active=True))
    known = {a.pk for a in areas}
    areas += list(StorageArea.objects.filter(pk__in=set(totals) - known - {0}))
    result = [
        SheetArea(a.pk, a.name, a.sort_order, totals[a.pk][0], totals[a.pk][1]) for a in areas
    ]
    result.sort(key=lambda s: (s.sort_order, s.name, s.area_id or 0))
    if 0 in totals or not result:
        result.append(SheetArea(None, _("Other places"), 1 << 30, totals[0][0], totals[0][1]))
    return result


@dataclass(frozen=True)
class UnitOption:
    code: str
    name: str
    factor: Decimal


@dataclass
class SheetLine:
    """A line of a count sheet as a counter sees it (expected is None on a blind count)."""

    id: int
    area_id: int | None
    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    units: list[UnitOption]
    barcodes: list[str]
    pinyin: str
    expected_quantity: Decimal | None
    counted_quantity: Decimal | None
    entries: list[dict[str, str]]
    counted_by: str
    counted_at: datetime | None
    # Per unit, what the counter typed into it (for the page's inputs).
    inputs: list[tuple[UnitOption, str]] = field(default_factory=list)


def _expected_by_item(stocktake: Stocktake) -> dict[int, tuple[Decimal, Decimal]]:
    result: dict[int, tuple[Decimal, Decimal]] = {}
    for row in StocktakeExpected.objects.filter(stocktake=stocktake).values(
        "item_id", "quantity", "value"
    ):
        qty, value = result.get(row["item_id"], (ZERO, ZERO))
        result[row["item_id"]] = (qty + row["quantity"], value + row["value"])
    return result


def units_of(items: list[Item]) -> dict[int, list[UnitOption]]:
    """The units each item can be counted in: its packs, largest first, then its base unit."""
    result: dict[int, list[UnitOption]] = defaultdict(list)
    for pack in Pack.objects.filter(item__in=items, is_active=True).order_by("item_id", "-factor"):
        result[pack.item_id].append(UnitOption(pack.code, pack.name, pack.factor))
    for item in items:
        result[item.pk].append(UnitOption(item.base_unit, item.get_base_unit_display(), Decimal(1)))
    return result


def count_sheet(actor: Actor, stocktake: Stocktake, area_id: int | None) -> list[SheetLine]:
    """The lines of one area's sheet in walking order; expected hidden on a blind count."""
    actor.require(Perm.STOCK_VIEW, stocktake.location_id)
    lines = list(
        StocktakeLine.objects.filter(stocktake=stocktake, area_key=area_id or 0)
        .select_related("item")
        .order_by("sort_key", "item__code", "id")
    )
    items = [line.item for line in lines]
    units = units_of(items)
    codes: dict[int, list[str]] = defaultdict(list)
    for item_id, code in Barcode.objects.filter(item__in=items).values_list("item_id", "code"):
        codes[item_id].append(code)
    expected = {} if stocktake.blind else _expected_by_item(stocktake)
    result = []
    for line in lines:
        entered = {e["unit"]: e["quantity"] for e in line.entries}
        options = units[line.item_id]
        result.append(
            SheetLine(
                id=line.pk,
                area_id=line.area_id,
                item_id=line.item_id,
                item_code=line.item.code,
                item_name=line.item.name,
                base_unit=line.item.base_unit,
                units=options,
                barcodes=codes[line.item_id],
                pinyin=line.item.pinyin,
                expected_quantity=(
                    None if stocktake.blind else expected.get(line.item_id, (ZERO, ZERO))[0]
                ),
                counted_quantity=line.counted_quantity,
                entries=line.entries,
                counted_by=line.counted_by_name,
                counted_at=line.counted_at,
                inputs=[(u, entered.get(u.code, "")) for u in options],
            )
        )
    return result


@dataclass(frozen=True)
class VarianceRow:
    """Counted against expected for one item, in quantity and value."""

    item_id: int
    item_code: str
    item_name: str
    base_unit: str
    expected_quantity: Decimal
    counted_quantity: Decimal | None
    variance_quantity: Decimal | None
    unit_cost: Decimal
    expected_value: Decimal
    variance_value: Decimal | None
    lines: int


def variance_review(actor: Actor, stocktake: Stocktake) -> list[VarianceRow]:
    """Variances per item, largest absolute value first; items not counted come last.

    While the count is open only approvers see it (a blind count hides expected
    quantities from counters); once posted, anyone who sees the stocktake does.
    """
    if stocktake.status in (Stocktake.Status.COUNTING, Stocktake.Status.APPROVED):
        if not actor.can(Perm.STOCK_APPROVE, stocktake.location_id):
            raise permission_denied(_("Your role does not allow this action."))
    else:
        actor.require(Perm.STOCK_VIEW, stocktake.location_id)
    expected = _expected_by_item(stocktake)
    counted: dict[int, Decimal | None] = {}
    lines: dict[int, int] = defaultdict(int)
    for item_id, qty in StocktakeLine.objects.filter(stocktake=stocktake).values_list(
        "item_id", "counted_quantity"
    ):
        lines[item_id] += 1
        if qty is not None:
            counted[item_id] = (counted.get(item_id) or ZERO) + qty
        else:
            counted.setdefault(item_id, None)
    item_ids = set(counted) | set(expected)
    items = {i.pk: i for i in Item.objects.filter(pk__in=item_ids)}
    costs = dict(
        ItemBalance.objects.filter(
            location_id=stocktake.location_id, item_id__in=item_ids
        ).values_list("item_id", "unit_cost")
    )
    rows: list[VarianceRow] = []
    for item_id in item_ids:
        item = items[item_id]
        exp_qty, exp_value = expected.get(item_id, (ZERO, ZERO))
        cost = round_cost(exp_value / exp_qty) if exp_qty > 0 else costs.get(item_id, ZERO)
        got = counted.get(item_id)
        variance = None if got is None else got - exp_qty
        rows.append(
            VarianceRow(
                item_id=item_id,
                item_code=item.code,
                item_name=item.name,
                base_unit=item.base_unit,
                expected_quantity=exp_qty,
                counted_quantity=got,
                variance_quantity=variance,
                unit_cost=cost,
                expected_value=round_value(exp_value),
                variance_value=None if variance is None else round_value(variance * cost),
                lines=lines.get(item_id, 0),
            )
        )
    rows.sort(
        key=lambda r: (
            r.variance_value is None,
            -abs(r.variance_value or ZERO),
            r.item_code,
        )
    )
    return rows


# ---------------------------------------------------------------- page helpers


def locations_for(actor: Actor, perm: str) -> list[Location]:
    """Active locations of the organization where the actor holds perm, by code."""
    qs = Location.objects.filter(organization=actor.organization, is_active=True).order_by("code")
    return [loc for loc in qs if actor.can(perm, loc.pk)]


@dataclass(frozen=True)
class FoundItem:
    """An item a scan or search matched; pack_code set when a pack's barcode was scanned."""

    item: Item
    pack_code: str = ""


def find_items(actor: Actor, text: str, limit: int = 8) -> list[FoundItem]:
    """Items matching a scanned barcode, a code, pinyin initials or part of a name."""
    actor.require(Perm.CATALOG_VIEW)
    text = text.strip()[:64]
    if not text:
        return []
    items = Item.objects.filter(organization=actor.organization, is_active=True)
    scanned = (
        Barcode.objects.filter(organization=actor.organization, code=text, item__is_active=True)
        .select_related("item", "pack")
        .first()
    )
    if scanned is not None:
        return [FoundItem(scanned.item, scanned.pack.code if scanned.pack else "")]
    exact = items.filter(code__iexact=text).first()
    if exact is not None:
        return [FoundItem(exact)]
    matches = items.filter(
        Q(code__istartswith=text) | Q(pinyin__istartswith=text.lower()) | Q(name__icontains=text)
    ).order_by("code")[:limit]
    return [FoundItem(item) for item in matches]


@dataclass(frozen=True)
class LotOnHand:
    lot_id: int
    code: str
    expiry_date: date | None
    status: str
    quantity: Decimal


def lots_at(actor: Actor, location_id: int, item_id: int) -> list[LotOnHand]:
    """Lots of an item with stock at a location, earliest expiry first."""
    actor.require(Perm.STOCK_VIEW, location_id)
    rows = (
        Balance.objects.filter(
            organization=actor.organization,
            location_id=location_id,
            item_id=item_id,
            lot__isnull=False,
            quantity__gt=0,
        )
        .select_related("lot")
        .order_by(F("lot__expiry_date").asc(nulls_last=True), "lot_id")
    )
    return [
        LotOnHand(b.lot_id, b.lot.code, b.lot.expiry_date, b.lot.status, b.quantity)
        for b in rows
        if b.lot is not None and b.lot_id is not None
    ]
