"""Writes of stocktakes: start with a snapshot, count by area, approve, post adjustments.

What is expected is what the ledger held as of the snapshot time. Counters count by
storage area, several at once; each line is saved on its own, so an autosaving page can
send it as often as it likes. Posting compares the counts with the ledger as of the
snapshot time (recomputed then, so moves posted late for earlier times are included)
and posts count_adjustment moves dated at the snapshot: a sale rung up while the count
was going on is still deducted once, after the snapshot.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Category, Item, Pack, StockLevel, StorageArea
from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO, round_qty, round_value
from boh.core.services import emit_event, record_audit, record_audits, snapshot
from boh.core.validation import Checker
from boh.inventory.documents import errors
from boh.inventory.documents.common import (
    MAX_QUANTITY,
    base_quantity,
    check_location,
    ledger_refusal,
    lot_unavailable,
    packs_by_item,
)
from boh.inventory.documents.models import Stocktake, StocktakeExpected, StocktakeLine
from boh.inventory.documents.selectors import Position, balances_now, position_as_of
from boh.inventory.models import Lot, MoveKind
from boh.inventory.services import MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

SOURCE = "stocktake"
MAX_ENTRIES = 10
Status = Stocktake.Status
OPEN = (Status.COUNTING, Status.APPROVED)


@dataclass(frozen=True)
class _Planned:
    item_id: int
    area: StorageArea | None
    sort_key: int


def _entries(
    check: Checker, item: Item, entries: Any, packs: dict[str, Pack]
) -> tuple[Decimal | None, list[dict[str, str]]]:
    """The counted base quantity of mixed-unit entries (None: nothing counted yet)."""
    if entries is None:
        entries = []
    if not isinstance(entries, list | tuple):
        check.fail("entries", "invalid", _("Send a list of quantities."))
        return None, []
    if len(entries) > MAX_ENTRIES:
        check.fail("entries", "too_many", _("At most %(n)d quantities.") % {"n": MAX_ENTRIES})
        return None, []
    total = ZERO
    clean: list[dict[str, str]] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            check.fail(f"entries[{i}]", "invalid", _("Send a quantity and a unit."))
            continue
        base, number, unit = base_quantity(
            check,
            f"entries[{i}]",
            item,
            entry.get("quantity"),
            entry.get("unit"),
            packs,
            positive=False,
        )
        total += base
        clean.append({"quantity": str(number), "unit": unit})
    if not clean:
        return None, []
    if total >= MAX_QUANTITY:
        check.fail("entries", "too_large", _("This number is too large."))
    return round_qty(total), clean


def _planned_lines(
    location_id: int,
    scope: str,
    areas: list[StorageArea],
    categories: list[Category],
    on_hand: Position,
) -> list[_Planned]:
    """The sheet: items with a stock level (in their area) and any other item in stock."""
    levels = StockLevel.objects.filter(
        location_id=location_id, item__is_active=True
    ).select_related("storage_area", "item__category")
    if scope == Stocktake.Scope.AREAS:
        levels = levels.filter(storage_area__in=areas)
    planned: dict[int, _Planned] = {}
    for level in levels:
        area = level.storage_area if level.storage_area and level.storage_area.is_active else None
        planned[level.item_id] = _Planned(level.item_id, area, level.count_order)
    if scope != Stocktake.Scope.AREAS:
        stocked = {item_id for (item_id, _lot), (qty, _v) in on_hand.items() if qty != 0}
        for item in Item.objects.filter(pk__in=stocked - set(planned), is_active=True):
            planned[item.pk] = _Planned(item.pk, None, 0)
    if scope == Stocktake.Scope.CATEGORIES:
        paths = [c.path for c in categories]
        in_categories = Item.objects.filter(pk__in=list(planned)).filter(_category_filter(paths))
        keep = set(in_categories.values_list("pk", flat=True))
        planned = {k: v for k, v in planned.items() if k in keep}
    return list(planned.values())


def _category_filter(paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(category__path__startswith=path)
    return condition


def start_stocktake(
    actor: Actor,
    *,
    location_id: int,
    scope: str = Stocktake.Scope.FULL,
    area_ids: Sequence[int] = (),
    category_ids: Sequence[int] = (),
    blind: bool = False,
    note: str = "",
    snapshot_at: datetime | None = None,
) -> Stocktake:
    """Open a count at a location and snapshot what the ledger expects, per item and lot.

    snapshot_at is when the count was taken, for one entered afterwards from a paper
    sheet: what the ledger held then is expected. It carries its time zone and is not in
    the future; without it, the count is taken now.
    """
    check = Checker()
    location = check_location(actor, check, "location_id", location_id)
    check.raise_if_any()
    assert location is not None
    actor.require(Perm.STOCK_COUNT, location.pk)

    scope = check.choice("scope", scope, set(Stocktake.Scope.values))
    note = check.text("note", note, max_length=2000, required=False)
    if snapshot_at is not None:
        if timezone.is_naive(snapshot_at):
            check.fail("snapshot_at", "naive_time", _("Give the time with its time zone."))
        elif snapshot_at > timezone.now():
            check.fail("snapshot_at", "in_future", _("A count cannot be taken in the future."))
    areas: list[StorageArea] = []
    categories: list[Category] = []
    if scope == Stocktake.Scope.AREAS:
        wanted = set(area_ids or ())
        areas = list(StorageArea.objects.filter(location=location, pk__in=wanted, is_active=True))
        if not wanted:
            check.fail("area_ids", errors.SCOPE_EMPTY, _("Choose at least one storage area."))
        elif len(areas) != len(wanted):
            check.fail("area_ids", errors.NOT_FOUND, _("No such storage area here."))
    if scope == Stocktake.Scope.CATEGORIES:
        wanted = set(category_ids or ())
        categories = list(Category.objects.filter(organization=actor.organization, pk__in=wanted))
        if not wanted:
            check.fail("category_ids", errors.SCOPE_EMPTY, _("Choose at least one category."))
        elif len(categories) != len(wanted):
            check.fail("category_ids", errors.NOT_FOUND, _("No such category."))
    check.raise_if_any()

    with transaction.atomic():
        # One start at a time per location, so two overlapping counts cannot both begin.
        Location.objects.select_for_update().filter(pk=location.pk).first()
        on_hand = balances_now(location.pk, None)
        if snapshot_at is None:
            snapshot_at = timezone.now()
        else:
            on_hand = position_as_of(location.pk, {i for i, _lot in on_hand}, snapshot_at)
        planned = _planned_lines(location.pk, scope, areas, categories, on_hand)
        _refuse_overlap(location.pk, scope, {p.item_id for p in planned})

        stocktake = Stocktake.objects.create(
            organization=actor.organization,
            location=location,
            scope=scope,
            blind=bool(blind),
            note=note,
            snapshot_at=snapshot_at,
            created_by_user_id=actor.user_id,
        )
        stocktake.areas.set(areas)
        stocktake.categories.set(categories)
        StocktakeLine.objects.bulk_create(
            StocktakeLine(
                stocktake=stocktake,
                area=p.area,
                area_key=p.area.pk if p.area else 0,
                item_id=p.item_id,
                sort_key=p.sort_key,
            )
            for p in planned
        )
        _write_expected(stocktake, {p.item_id for p in planned}, on_hand)
        record_audit(actor, AuditEntry.Action.CREATE, stocktake)
        emit_event(
            "inventory.stocktake_started",
            {"stocktake_id": stocktake.pk, "location_id": location.pk, "scope": scope},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("stocktake %s started at %s: %d lines", stocktake.pk, location.code, len(planned))
    return stocktake


def _refuse_overlap(location_id: int, scope: str, item_ids: set[int]) -> None:
    open_counts = Stocktake.objects.filter(location_id=location_id, status__in=OPEN)
    clash = open_counts.filter(scope=Stocktake.Scope.FULL).exists() or (
        open_counts.exists()
        and (
            scope == Stocktake.Scope.FULL
            or StocktakeLine.objects.filter(
                stocktake__in=open_counts, item_id__in=item_ids
            ).exists()
        )
    )
    if clash:
        raise conflict(
            errors.SCOPE_OVERLAP,
            _("Another open stocktake at this location covers some of these items."),
            "location_id",
        )


def _write_expected(stocktake: Stocktake, item_ids: set[int], position: Position) -> None:
    StocktakeExpected.objects.filter(stocktake=stocktake).delete()
    StocktakeExpected.objects.bulk_create(
        StocktakeExpected(
            stocktake=stocktake,
            item_id=item_id,
            lot_id=lot_key or None,
            lot_key=lot_key,
            quantity=qty,
            value=value,
        )
        for (item_id, lot_key), (qty, value) in sorted(position.items())
        if item_id in item_ids and (qty != 0 or value != 0)
    )


def in_scope(stocktake: Stocktake, item: Item) -> bool:
    """Whether a count of `item` belongs in this stocktake."""
    if item.organization_id != stocktake.organization_id or not item.is_active:
        return False
    if stocktake.scope == Stocktake.Scope.FULL:
        return True
    if stocktake.scope == Stocktake.Scope.AREAS:
        return (
            stocktake.lines.filter(item=item).exists()
            or StockLevel.objects.filter(
                location_id=stocktake.location_id,
                item=item,
                storage_area__in=stocktake.areas.all(),
            ).exists()
        )
    paths = list(stocktake.categories.values_list("path", flat=True))
    return Item.objects.filter(pk=item.pk).filter(_category_filter(paths)).exists()


def _locked_counting(stocktake: Stocktake) -> Stocktake:
    locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if locked.status != Status.COUNTING:
        raise conflict(
            errors.WRONG_STATUS,
            _("This stocktake is %(status)s; counts can no longer change.")
            % {"status": locked.get_status_display()},
            "status",
        )
    return locked


def _save_count(
    actor: Actor, line: StocktakeLine, counted: Decimal | None, entries: list[dict[str, str]]
) -> StocktakeLine:
    if line.counted_quantity == counted and line.entries == entries:
        return line
    before = snapshot(line, ["counted_quantity", "entries"])
    line.counted_quantity = counted
    line.entries = entries
    line.counted_at = timezone.now() if counted is not None else None
    line.counted_by_user_id = actor.user_id
    line.counted_by_name = actor.display_name[:150]
    line.save(
        update_fields=[
            "counted_quantity",
            "entries",
            "counted_at",
            "counted_by_user_id",
            "counted_by_name",
        ]
    )
    record_audit(
        actor,
        AuditEntry.Action.UPDATE,
        line,
        before=before,
        after=snapshot(line, ["counted_quantity", "entries"]),
        verb="count",
        organization_id=actor.organization_id,
    )
    return line


def set_count(
    actor: Actor, stocktake: Stocktake, line: StocktakeLine, *, entries: Any
) -> StocktakeLine:
    """Save what was counted on one line; the same entries again change nothing.

    Entries are quantities in any unit of the item ([2 case, 5 bottle]); an empty list
    clears the line back to not counted.
    """
    actor.require(Perm.STOCK_COUNT, stocktake.location_id)
    if line.stocktake_id != stocktake.pk:
        raise validation_error(errors.NOT_FOUND, _("No such line on this stocktake."), "line_id")
    check = Checker()
    packs = packs_by_item([line.item_id]).get(line.item_id, {})
    counted, clean = _entries(check, line.item, entries, packs)
    check.raise_if_any()

    with transaction.atomic():
        _locked_counting(stocktake)
        fresh = StocktakeLine.objects.select_for_update().select_related("item").get(pk=line.pk)
        return _save_count(actor, fresh, counted, clean)


def set_counts(
    actor: Actor, stocktake: Stocktake, *, counts: Sequence[Mapping[str, Any]]
) -> list[StocktakeLine]:
    """set_count for many lines at once, as a counter sends a finished sheet.

    Each entry holds line_id and entries; its errors name it (counts[3].entries). When
    any entry is refused, no count is saved; lines counted the same again are left as
    they are.
    """
    actor.require(Perm.STOCK_COUNT, stocktake.location_id)
    lines = {
        line.pk: line
        for line in StocktakeLine.objects.filter(stocktake=stocktake).select_related("item")
    }
    packs = packs_by_item({line.item_id for line in lines.values()})
    check = Checker()
    clean: list[tuple[StocktakeLine, Decimal | None, list[dict[str, str]]]] = []
    for n, values in enumerate(counts):
        line = lines.get(values.get("line_id"))  # type: ignore[arg-type]
        if line is None:
            check.fail(
                f"counts[{n}].line_id", errors.NOT_FOUND, _("No such line on this stocktake.")
            )
            continue
        row = Checker()
        counted, entries = _entries(
            row, line.item, values.get("entries"), packs.get(line.item_id, {})
        )
        for error in row.errors:
            check.fail(f"counts[{n}].{error.field}", error.code, error.message)
        clean.append((line, counted, entries))
    check.raise_if_any()

    fields = ["counted_quantity", "entries"]
    with transaction.atomic():
        _locked_counting(stocktake)
        now = timezone.now()
        changed: list[StocktakeLine] = []
        befores: list[dict[str, Any]] = []
        for line, counted, entries in clean:
            if line.counted_quantity == counted and line.entries == entries:
                continue
            befores.append(snapshot(line, fields))
            line.counted_quantity = counted
            line.entries = entries
            line.counted_at = now if counted is not None else None
            line.counted_by_user_id = actor.user_id
            line.counted_by_name = actor.display_name[:150]
            # A statement a line: bulk_update's CASE over every line is slower here.
            line.save(
                update_fields=[*fields, "counted_at", "counted_by_user_id", "counted_by_name"]
            )
            changed.append(line)
        record_audits(
            actor,
            AuditEntry.Action.UPDATE,
            list(changed),
            befores=befores,
            afters=[snapshot(line, fields) for line in changed],
            verb="count",
            organization_id=actor.organization_id,
        )
    return [line for line, _counted, _entries in clean]


def count_item(
    actor: Actor,
    stocktake: Stocktake,
    *,
    item_id: int,
    area_id: int | None = None,
    entries: Any,
) -> StocktakeLine:
    """Save the count of an item in an area, adding the line when it is not on the sheet."""
    actor.require(Perm.STOCK_COUNT, stocktake.location_id)
    check = Checker()
    item = None
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        item = Item.objects.filter(organization=actor.organization, pk=item_id).first()
    if item is None or not item.is_active:
        check.fail("item_id", errors.NOT_FOUND, _("No such active item."))
    elif not in_scope(stocktake, item):
        check.fail(
            "item_id",
            errors.NOT_IN_SCOPE,
            _("%(item)s is not part of this stocktake.") % {"item": item.name},
        )
    area = None
    if area_id is not None:
        area = StorageArea.objects.filter(location_id=stocktake.location_id, pk=area_id).first()
        if area is None:
            check.fail("area_id", errors.NOT_FOUND, _("No such storage area here."))
        elif (
            stocktake.scope == Stocktake.Scope.AREAS
            and not stocktake.areas.filter(pk=area.pk).exists()
        ):
            check.fail(
                "area_id", errors.NOT_IN_SCOPE, _("This area is not part of this stocktake.")
            )
    check.raise_if_any()
    assert item is not None
    counted, clean = _entries(check, item, entries, packs_by_item([item.pk]).get(item.pk, {}))
    check.raise_if_any()

    with transaction.atomic():
        locked = _locked_counting(stocktake)
        line, created = StocktakeLine.objects.select_for_update().get_or_create(
            stocktake=locked,
            area_key=area.pk if area else 0,
            item=item,
            defaults={"area": area, "sort_key": _next_sort_key(locked, area)},
        )
        if created:
            record_audit(
                actor, AuditEntry.Action.CREATE, line, organization_id=actor.organization_id
            )
        return _save_count(actor, line, counted, clean)


def _next_sort_key(stocktake: Stocktake, area: StorageArea | None) -> int:
    last = (
        StocktakeLine.objects.filter(stocktake=stocktake, area_key=area.pk if area else 0)
        .order_by("-sort_key")
        .values_list("sort_key", flat=True)
        .first()
    )
    return (last or 0) + 1


def approve_stocktake(actor: Actor, stocktake: Stocktake) -> Stocktake:
    """Accept the counts after review; no count can change afterwards."""
    actor.require(Perm.STOCK_APPROVE, stocktake.location_id)
    with transaction.atomic():
        locked = _locked_counting(stocktake)
        if not locked.lines.filter(counted_quantity__isnull=False).exists():
            raise validation_error(
                errors.NOTHING_COUNTED, _("Nothing has been counted yet."), "lines"
            )
        locked.status = Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by_user_id = actor.user_id
        locked.save(update_fields=["status", "approved_at", "approved_by_user_id"])
        record_audit(actor, AuditEntry.Action.ACTION, locked, verb="approve")
    return locked


def reopen_stocktake(actor: Actor, stocktake: Stocktake) -> Stocktake:
    """Send an approved stocktake back for recounting."""
    actor.require(Perm.STOCK_APPROVE, stocktake.location_id)
    with transaction.atomic():
        locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if locked.status != Status.APPROVED:
            raise conflict(
                errors.WRONG_STATUS, _("Only an approved stocktake can be reopened."), "status"
            )
        locked.status = Status.COUNTING
        locked.approved_at = None
        locked.approved_by_user_id = None
        locked.save(update_fields=["status", "approved_at", "approved_by_user_id"])
        record_audit(actor, AuditEntry.Action.ACTION, locked, verb="reopen")
    return locked


def cancel_stocktake(actor: Actor, stocktake: Stocktake) -> Stocktake:
    """Abandon a stocktake that has not been posted; nothing reaches the ledger."""
    actor.require(Perm.STOCK_APPROVE, stocktake.location_id)
    with transaction.atomic():
        locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if locked.status not in OPEN:
            raise conflict(
                errors.WRONG_STATUS, _("Only an open stocktake can be cancelled."), "status"
            )
        locked.status = Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        record_audit(actor, AuditEntry.Action.ACTION, locked, verb="cancel")
    return locked


def _fefo_key(lots: Mapping[int, Lot]) -> Any:
    def key(lot_key: int) -> tuple[int, date, int]:
        lot = lots.get(lot_key)
        if lot is None or lot.expiry_date is None:
            return (1, date.max, lot_key)
        return (0, lot.expiry_date, lot_key)

    return key


def _adjustments(
    item_id: int,
    difference: Decimal,
    expected: Mapping[int, Decimal],
    now: Mapping[int, Decimal],
    lots: Mapping[int, Lot],
) -> list[tuple[int, Decimal]]:
    """(lot_key, quantity) adjustments of one item that add up to `difference`.

    Counts are per item. A shortfall is taken from lots earliest expiry first (what is
    gone is most likely what was used first), as far as each has stock now; a surplus
    goes to the lot expiring last, or to stock without a lot.
    """
    keys = sorted(set(expected) | set(now), key=_fefo_key(lots))
    if difference > 0:
        stocked = [k for k in keys if expected.get(k, ZERO) > 0 or now.get(k, ZERO) > 0]
        return [(stocked[-1] if stocked else 0, difference)]
    left = -difference
    result: list[tuple[int, Decimal]] = []
    for key in keys:
        take = min(left, max(now.get(key, ZERO), ZERO))
        if take > 0:
            result.append((key, -take))
            left -= take
    if left > 0:
        key = keys[0] if keys else 0
        merged = dict(result)
        merged[key] = merged.get(key, ZERO) - left
        result = sorted(merged.items(), key=lambda kv: _fefo_key(lots)(kv[0]))
    return result


def post_stocktake(actor: Actor, stocktake: Stocktake) -> Stocktake:
    """Post the approved counts as count_adjustment moves dated at the snapshot time.

    Posting an already posted stocktake changes nothing and returns it as it is.
    """
    actor.require(Perm.STOCK_APPROVE, stocktake.location_id)
    with transaction.atomic():
        locked = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if locked.status == Status.POSTED:
            return locked
        if locked.status != Status.APPROVED:
            raise conflict(
                errors.WRONG_STATUS, _("Approve the stocktake before posting it."), "status"
            )

        counted: dict[int, Decimal] = defaultdict(lambda: ZERO)
        item_ids: set[int] = set()
        for item_id, qty in locked.lines.values_list("item_id", "counted_quantity"):
            item_ids.add(item_id)
            if qty is not None:
                counted[item_id] += qty
        as_of = position_as_of(locked.location_id, item_ids, locked.snapshot_at)
        now = balances_now(locked.location_id, item_ids)
        lot_keys = {k for (_i, k) in as_of} | {k for (_i, k) in now}
        lots = {lot.pk: lot for lot in Lot.objects.filter(pk__in=lot_keys - {0})}
        expected_of: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for (item_id, lot_key), (qty, _v) in as_of.items():
            expected_of[item_id][lot_key] = qty
        now_of: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for (item_id, lot_key), (qty, _v) in now.items():
            now_of[item_id][lot_key] = qty

        today = timezone.localdate(locked.snapshot_at)
        note = _("Counted in stocktake ST-%(id)s.") % {"id": locked.pk}
        specs: list[MoveSpec] = []
        for item_id in sorted(counted):
            difference = counted[item_id] - sum(expected_of[item_id].values(), ZERO)
            if difference == 0:
                continue
            for lot_key, quantity in _adjustments(
                item_id, difference, expected_of[item_id], now_of[item_id], lots
            ):
                lot = lots.get(lot_key)
                override = quantity < 0 and lot_unavailable(lot, today)
                specs.append(
                    MoveSpec(
                        location_id=locked.location_id,
                        item_id=item_id,
                        quantity=quantity,
                        kind=MoveKind.COUNT_ADJUSTMENT,
                        lot_id=lot_key or None,
                        happened_at=locked.snapshot_at,
                        reason="count",
                        source_line=str(item_id),
                        allow_unavailable_lot=override,
                        override_note=note if override else "",
                    )
                )
        value = ZERO
        batch = None
        if specs:
            try:
                result = post_moves(
                    actor,
                    specs,
                    source_type=SOURCE,
                    source_id=str(locked.pk),
                    permission=Perm.STOCK_APPROVE,
                )
            except BohError as exc:
                raise _snapshot_fields(ledger_refusal(exc, {})) from None
            value = round_value(sum((m.value for m in result.moves), ZERO))
            batch = result.batch

        _write_expected(locked, item_ids, as_of)
        locked.status = Status.POSTED
        locked.posted_at = timezone.now()
        locked.posted_by_user_id = actor.user_id
        locked.batch = batch
        locked.adjustment_value = value
        locked.save(
            update_fields=["status", "posted_at", "posted_by_user_id", "batch", "adjustment_value"]
        )
        record_audit(actor, AuditEntry.Action.ACTION, locked, verb="post")
        emit_event(
            "inventory.stocktake_posted",
            {
                "stocktake_id": locked.pk,
                "location_id": locked.location_id,
                "snapshot_at": locked.snapshot_at,
                "moves": len(specs),
                "value": value,
            },
            organization_id=locked.organization_id,
            actor=actor,
        )
    logger.info("stocktake %s posted: %d adjustments, value %s", locked.pk, len(specs), value)
    return locked


def _snapshot_fields(exc: BohError) -> BohError:
    for f in exc.fields:
        if f.field == "happened_at":
            f.field = "snapshot_at"
    if exc.field == "happened_at":
        exc.field = "snapshot_at"
    return exc
