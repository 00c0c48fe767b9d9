"""Suggested orders and transfers from a run's ingredient demand, and the settings behind them.

For each location and item with forecast use: its preferred supplier item (or the only one
on offer), that supplier's delivery terms for the location, the lots on hand that are
available, the open order lines and transfers under way, and the service level of the
item's class go through `boh.planning.replenish.size_line`. Lines are grouped into one
suggestion per supplier and location; items nobody supplies are grouped into a suggestion
without a supplier, so that they are seen. A new suggestion replaces the open one for the
same supplier and location. Everything is read once for all locations and written in bulk:
the number of queries grows only by one audit entry per suggestion, not with stores or items.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.catalog.models import Category, Item
from boh.core.errors import conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import MONEY_PLACES, QTY_PLACES, ZERO
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory.documents.models import Transfer, TransferLine
from boh.inventory.models import Balance, LotStatus
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.planning import errors, replenish
from boh.planning.models import (
    ForecastRun,
    IngredientDemand,
    ReplenishmentSetting,
    Suggestion,
    SuggestionLine,
    TransferSuggestion,
)
from boh.purchasing.models import (
    OrderLine,
    OrderStatus,
    PreferredSupplier,
    Supplier,
    SupplierItem,
    SupplierLocation,
)
from boh.purchasing.selectors import agreed_prices
from boh.sales.services.rows import db_json, insert

logger = logging.getLogger(__name__)

DEFAULT_SERVICE_LEVEL = Decimal("95")
HUNDRED = Decimal(100)
WRITE_BATCH = 2000
LINES_TABLE = SuggestionLine._meta.db_table
LINE_COLUMNS = (
    "suggestion_id",
    "item_id",
    "supplier_item_id",
    "packs",
    "pack_factor",
    "quantity",
    "unit_price",
    "amount",
    "explanation",
    "warnings",
    "accepted_packs",
    "edited",
)
# Orders not yet received. Drafts and orders awaiting approval count too: an accepted
# suggestion is a draft until approved, and must not be suggested again meanwhile.
PENDING = (
    OrderStatus.DRAFT,
    OrderStatus.AWAITING_APPROVAL,
    OrderStatus.APPROVED,
    OrderStatus.SENT,
    OrderStatus.PARTLY_RECEIVED,
)


# Settings -------------------------------------------------------------------------------


def _check_setting(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "category_id" in values:
        category_id = values["category_id"]
        if (
            category_id is not None
            and not Category.objects.filter(
                organization=actor.organization, pk=category_id
            ).exists()
        ):
            check.fail("category_id", "not_found", _("No such category."))
        clean["category_id"] = category_id
    if "supplier_id" in values:
        supplier_id = values["supplier_id"]
        if (
            supplier_id is not None
            and not Supplier.objects.filter(
                organization=actor.organization, pk=supplier_id
            ).exists()
        ):
            check.fail("supplier_id", "not_found", _("No such supplier."))
        clean["supplier_id"] = supplier_id
    if values.get("service_level") is not None:
        level = check.decimal("service_level", values["service_level"], places=2)
        if not check.has("service_level") and not ZERO < level < HUNDRED:
            check.fail(
                "service_level",
                errors.INVALID_SERVICE_LEVEL,
                _("A service level is above 0% and below 100%: no stock covers every day."),
            )
        clean["service_level"] = level
    elif "service_level" in values:
        clean["service_level"] = None
    if "auto_approve" in values:
        if not isinstance(values["auto_approve"], bool):
            check.fail("auto_approve", "invalid_boolean", _("Enter true or false."))
        clean["auto_approve"] = values["auto_approve"]
    for name, places in (("max_order_value", MONEY_PLACES), ("max_line_packs", QTY_PLACES)):
        if values.get(name) is not None:
            clean[name] = check.decimal(name, values[name], places=places, positive=True)
        elif name in values:
            clean[name] = None
    return clean


def create_setting(actor: Actor, **values: Any) -> ReplenishmentSetting:
    """Set the service level and automatic ordering of an item class, a supplier or all."""
    actor.require(Perm.PLANNING_MANAGE)
    allowed = {"category_id", "supplier_id", "service_level", "auto_approve"}
    allowed |= {"max_order_value", "max_line_packs"}
    unknown = set(values) - allowed
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    check = Checker()
    clean = _check_setting(actor, {"category_id": None, "supplier_id": None, **values}, check)
    if clean["category_id"] is not None and clean["supplier_id"] is not None:
        check.fail(
            "supplier_id",
            "one_scope",
            _("A setting is for an item class or for a supplier, not both."),
        )
    check.raise_if_any()
    duplicate = ReplenishmentSetting.objects.filter(
        organization=actor.organization,
        category_id=clean["category_id"],
        supplier_id=clean["supplier_id"],
    ).exists()
    if duplicate:
        raise conflict(errors.DUPLICATE_SETTING, _("There is already a setting for this."))

    try:
        with transaction.atomic():
            setting = ReplenishmentSetting.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, setting)
    except IntegrityError:
        raise conflict(
            errors.DUPLICATE_SETTING, _("There is already a setting for this.")
        ) from None
    return setting


def update_setting(
    actor: Actor, setting: ReplenishmentSetting, **values: Any
) -> ReplenishmentSetting:
    """Change a setting's service level, automatic ordering or limits."""
    actor.require(Perm.PLANNING_MANAGE)
    allowed = {"service_level", "auto_approve", "max_order_value", "max_line_packs"}
    unknown = set(values) - allowed
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    check = Checker()
    clean = _check_setting(actor, values, check)
    check.raise_if_any()

    with transaction.atomic():
        before = snapshot(setting)
        for key, value in clean.items():
            setattr(setting, key, value)
        setting.save()
        record_audit(actor, AuditEntry.Action.UPDATE, setting, before=before)
    return setting


def delete_setting(actor: Actor, setting: ReplenishmentSetting) -> None:
    """Remove a setting; the broader one (or the default of 95%, no automatic ordering) applies."""
    actor.require(Perm.PLANNING_MANAGE)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, setting, before=snapshot(setting))
        setting.delete()


class Policies:
    """The settings of one organization, most specific first."""

    def __init__(self, organization_id: int) -> None:
        rows = list(ReplenishmentSetting.objects.filter(organization_id=organization_id))
        self.by_category = {r.category_id: r for r in rows if r.category_id is not None}
        self.by_supplier = {r.supplier_id: r for r in rows if r.supplier_id is not None}
        self.default = next(
            (r for r in rows if r.category_id is None and r.supplier_id is None), None
        )
        self.automatic = any(r.auto_approve for r in rows)
        self.paths = dict(
            Category.objects.filter(organization_id=organization_id).values_list("pk", "path")
        )

    def chain(self, category_id: int | None, supplier_id: int | None) -> list[ReplenishmentSetting]:
        """Settings that apply to an item of a category bought from a supplier, nearest first."""
        found: list[ReplenishmentSetting] = []
        if category_id is not None:
            ids = [int(x) for x in self.paths.get(category_id, "").strip("/").split("/") if x]
            found += [self.by_category[c] for c in reversed(ids) if c in self.by_category]
        if supplier_id is not None and supplier_id in self.by_supplier:
            found.append(self.by_supplier[supplier_id])
        if self.default is not None:
            found.append(self.default)
        return found

    def service_level(self, category_id: int | None, supplier_id: int | None) -> Decimal:
        """The service level in percent: the nearest setting that has one, else 95%."""
        for setting in self.chain(category_id, supplier_id):
            if setting.service_level is not None:
                return setting.service_level
        return DEFAULT_SERVICE_LEVEL


# Suggestions ----------------------------------------------------------------------------


@dataclass
class SuggestionSummary:
    suggestions: list[Suggestion] = field(default_factory=list)
    transfers: list[TransferSuggestion] = field(default_factory=list)


def latest_run(organization_id: int) -> ForecastRun | None:
    """The newest finished forecast run of an organization."""
    return (
        ForecastRun.objects.filter(organization_id=organization_id, status=ForecastRun.Status.DONE)
        .order_by("-first_date", "-pk")
        .first()
    )


@dataclass
class _Line:
    location: Location
    item: Item
    supplier_item: SupplierItem | None
    result: replenish.LineResult
    price: Decimal | None


def suggest_orders(
    actor: Actor,
    *,
    run: ForecastRun | None = None,
    location_id: int | None = None,
    now: dt.datetime | None = None,
) -> SuggestionSummary:
    """Suggest what each location should order from each supplier now, and transfers."""
    actor.require(Perm.PLANNING_MANAGE, location_id)
    run = run or latest_run(actor.organization_id)
    if run is None:
        raise validation_error(
            errors.NO_HISTORY, _("There is no forecast yet to suggest orders from.")
        )
    zone = zoneinfo.ZoneInfo(actor.organization.time_zone)
    local = timezone.localtime(now or timezone.now(), zone).replace(tzinfo=None)
    today = local.date()
    demand_rows = IngredientDemand.objects.filter(run=run, date__gte=today).order_by()
    if location_id is not None:
        demand_rows = demand_rows.filter(location_id=location_id)
    per_day: dict[tuple[int, int], dict[dt.date, list[Decimal]]] = defaultdict(dict)
    for loc, item_id, day, quantity, sigma in demand_rows.values_list(
        "location_id", "item_id", "date", "quantity", "sigma"
    ):
        acc = per_day[(loc, item_id)].get(day)
        if acc is None:
            per_day[(loc, item_id)][day] = [quantity, sigma]
        else:
            # Independent sources of demand (dishes sold, production): variances add.
            acc[0] += quantity
            acc[1] = (acc[1] * acc[1] + sigma * sigma).sqrt()
    items = {i.pk: i for i in Item.objects.filter(pk__in={k[1] for k in per_day})}
    locations = {
        loc.pk: loc
        for loc in Location.objects.filter(pk__in={k[0] for k in per_day}).select_related("region")
    }
    policies = Policies(actor.organization_id)
    by_location: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key in per_day:
        by_location[key[0]].append(key)

    ordered = sorted(locations.values(), key=lambda loc: loc.code)
    lines = _size_all(actor, ordered, by_location, per_day, items, policies, local)

    with transaction.atomic():
        summary = _write(actor, run, lines, local, zone)
    logger.info(
        "suggested %d orders and %d transfers for %s",
        len(summary.suggestions),
        len(summary.transfers),
        actor.organization.code,
    )
    return summary


class _Supply:
    """What the planned locations buy and hold, read once for all of them: the supplier item
    of each item (the location's preferred one, else the default, else the only one on
    offer), delivery terms, available stock by lot, open order lines and transfers."""

    def __init__(
        self, organization_id: int, location_ids: list[int], item_ids: list[int], today: dt.date
    ) -> None:
        self.default: dict[int, SupplierItem] = {}
        self.specific: dict[tuple[int, int], SupplierItem] = {}
        for row in (
            PreferredSupplier.objects.filter(organization_id=organization_id, item_id__in=item_ids)
            .filter(Q(location_id__in=location_ids) | Q(location__isnull=True))
            .select_related("supplier_item__supplier")
        ):
            if row.location_id is None:
                self.default[row.item_id] = row.supplier_item
            else:
                self.specific[(row.location_id, row.item_id)] = row.supplier_item
        offered: dict[int, list[SupplierItem]] = defaultdict(list)
        for candidate in SupplierItem.objects.filter(
            organization_id=organization_id,
            item_id__in=item_ids,
            is_active=True,
            supplier__is_active=True,
        ).select_related("supplier"):
            offered[candidate.item_id].append(candidate)
        self.only = {item_id: c[0] for item_id, c in offered.items() if len(c) == 1}
        self.terms = {
            (t.location_id, t.supplier_id): t
            for t in SupplierLocation.objects.filter(location_id__in=location_ids)
        }
        self.lots: dict[tuple[int, int], list[replenish.LotStock]] = defaultdict(list)
        for location_id, item_id, lot_id, quantity, expiry, status in Balance.objects.filter(
            location_id__in=location_ids, item_id__in=item_ids, quantity__gt=0
        ).values_list(
            "location_id", "item_id", "lot_id", "quantity", "lot__expiry_date", "lot__status"
        ):
            if lot_id is None or status == LotStatus.AVAILABLE:
                self.lots[(location_id, item_id)].append(
                    replenish.LotStock(quantity, expiry, lot_id)
                )
        self.incoming: dict[tuple[int, int], list[replenish.Incoming]] = defaultdict(list)
        for line in OrderLine.objects.filter(
            location_id__in=location_ids, item_id__in=item_ids, order__status__in=PENDING
        ).select_related("order"):
            if line.open_quantity > 0:
                due = line.order.expected_date or today
                self.incoming[(line.location_id, line.item_id)].append(
                    replenish.Incoming(line.open_quantity * line.pack_factor, due)
                )

        self._transfers(location_ids, item_ids, today)

    def _transfers(self, location_ids: list[int], item_ids: list[int], today: dt.date) -> None:
        """Transfers under way: stock on its way in counts as on order, due tomorrow (today
        once shipped); stock promised to another location is no longer the sender's."""
        lines = (
            TransferLine.objects.filter(
                item_id__in=item_ids,
                transfer__status__in=(
                    Transfer.Status.REQUESTED,
                    Transfer.Status.APPROVED,
                    Transfer.Status.SHIPPED,
                ),
            )
            .filter(
                Q(transfer__to_location_id__in=location_ids)
                | Q(transfer__from_location_id__in=location_ids)
            )
            .select_related("transfer")
        )
        for line in lines:
            transfer = line.transfer
            shipped = transfer.status == Transfer.Status.SHIPPED
            quantity = (line.shipped_quantity or ZERO) if shipped else line.requested_quantity
            if quantity <= 0:
                continue
            due = today if shipped else today + dt.timedelta(days=1)
            self.incoming[(transfer.to_location_id, line.item_id)].append(
                replenish.Incoming(quantity, due)
            )
            if not shipped:
                key = (transfer.from_location_id, line.item_id)
                self.lots[key] = replenish.take_from_lots(
                    self.lots.get(key, []), quantity, line.lot_id
                )

    def supplier_item(self, location_id: int, item_id: int) -> SupplierItem | None:
        return (
            self.specific.get((location_id, item_id))
            or self.default.get(item_id)
            or self.only.get(item_id)
        )

    def delivery(self, location_id: int, supplier_id: int | None) -> replenish.DeliveryTerms | None:
        t = self.terms.get((location_id, supplier_id)) if supplier_id is not None else None
        if t is None:
            return None
        return replenish.DeliveryTerms(
            tuple(t.delivery_weekdays or ()), t.cutoff_time, t.lead_time_days
        )


def _size_all(
    actor: Actor,
    locations: list[Location],
    keys: dict[int, list[tuple[int, int]]],
    per_day: dict[tuple[int, int], dict[dt.date, list[Decimal]]],
    items: dict[int, Item],
    policies: Policies,
    local: dt.datetime,
) -> list[_Line]:
    """Every (location, item) with forecast use through size_line; a fixed number of queries."""
    supply = _Supply(
        actor.organization_id, [loc.pk for loc in locations], list(items), local.date()
    )
    planned: list[tuple[Location, Item, SupplierItem | None, replenish.DeliveryWindow]] = []
    for location in locations:
        windows: dict[int | None, replenish.DeliveryWindow] = {}
        for _loc, item_id in keys[location.pk]:
            si = supply.supplier_item(location.pk, item_id)
            supplier_id = si.supplier_id if si is not None else None
            if supplier_id not in windows:
                windows[supplier_id] = replenish.delivery_window(
                    supply.delivery(location.pk, supplier_id), local
                )
            planned.append((location, items[item_id], si, windows[supplier_id]))

    # The price in force on the delivery day: one query per delivery day.
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for _location, _item, si, window in planned:
        if si is not None:
            by_day[window.first].add(si.pk)
    prices = {
        (si_id, day): price
        for day, ids in by_day.items()
        for si_id, price in agreed_prices(ids, day).items()
    }

    result: list[_Line] = []
    for location, item, si, window in planned:
        supplier_id = si.supplier_id if si is not None else None
        price = prices.get((si.pk, window.first)) if si is not None else None
        level = policies.service_level(item.category_id, supplier_id)
        demand = [
            replenish.DayDemand(day, acc[0], acc[1])
            for day, acc in sorted(per_day[(location.pk, item.pk)].items())
        ]
        sized = replenish.size_line(
            replenish.LineInput(
                today=local.date(),
                window=window,
                demand=demand,
                lots=supply.lots.get((location.pk, item.pk), ()),
                incoming=supply.incoming.get((location.pk, item.pk), ()),
                pack=(
                    replenish.PackTerms(si.pack_factor, si.moq, price) if si is not None else None
                ),
                shelf_life_days=item.shelf_life_days,
                service_level=level / HUNDRED,
            )
        )
        result.append(_Line(location, item, si, sized, price))
    return result


def _warnings_of(result: replenish.LineResult, has_supplier: bool) -> list[str]:
    codes = list(result.warnings)
    if not has_supplier and replenish.NO_DELIVERY_DAYS in codes:
        codes.remove(replenish.NO_DELIVERY_DAYS)
    return codes


def _write(
    actor: Actor, run: ForecastRun, lines: list[_Line], local: dt.datetime, zone: zoneinfo.ZoneInfo
) -> SuggestionSummary:
    """Replace the open suggestions of the planned locations and suppliers; call inside a
    transaction. A fixed number of queries, and one audit entry per suggestion."""
    summary = SuggestionSummary()
    groups: dict[tuple[int, int | None], list[_Line]] = defaultdict(list)
    for line in lines:
        supplier_id = line.supplier_item.supplier_id if line.supplier_item else None
        groups[(line.location.pk, supplier_id)].append(line)
    all_terms = {
        (t.location_id, t.supplier_id): t
        for t in SupplierLocation.objects.filter(
            location_id__in={loc for loc, _s in groups},
            supplier_id__in={s for _l, s in groups if s is not None},
        )
    }
    made: list[tuple[Suggestion, list[_Line]]] = []
    for (location_id, supplier_id), members in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
    ):
        shown = [
            m
            for m in members
            if m.result.quantity > 0 or _warnings_of(m.result, supplier_id is not None)
        ]
        if not shown:
            continue
        terms = all_terms.get((location_id, supplier_id)) if supplier_id is not None else None
        minimum = terms.min_order_value if terms is not None else ZERO
        check = replenish.check_minimum([m.result for m in shown], minimum)
        window = shown[0].result.explanation
        order_date = local.date()
        if terms is not None and terms.cutoff_time is not None and local.time() > terms.cutoff_time:
            order_date += dt.timedelta(days=1)
        cutoff_at = None
        if terms is not None and terms.cutoff_time is not None:
            cutoff_at = dt.datetime.combine(order_date, terms.cutoff_time, zone)
        warnings: list[dict[str, Any]] = []
        if supplier_id is None:
            warnings.append({"code": replenish.NO_SUPPLIER, "params": {}})
        elif terms is None or not terms.delivery_weekdays:
            warnings.append({"code": replenish.NO_DELIVERY_DAYS, "params": {}})
        if check.below:
            warnings.append(
                {
                    "code": replenish.BELOW_MINIMUM,
                    "params": {
                        "total": str(check.total),
                        "minimum": str(check.minimum),
                        "shortfall": str(check.shortfall),
                        "can_wait": check.can_wait,
                        "next_delivery": window.following_delivery.isoformat(),
                    },
                }
            )
        suggestion = Suggestion(
            organization=actor.organization,
            run=run,
            location_id=location_id,
            supplier_id=supplier_id,
            order_date=order_date,
            delivery_date=window.delivery,
            following_delivery=window.following_delivery,
            cutoff_at=cutoff_at,
            total=check.total,
            min_order_value=minimum,
            warnings=warnings,
        )
        made.append((suggestion, sorted(shown, key=lambda m: m.item.code)))

    replaced = {(s.location_id, s.supplier_id) for s, _m in made}
    stale = [
        pk
        for pk, loc, supplier in Suggestion.objects.filter(
            organization=actor.organization,
            location_id__in={loc for loc, _s in replaced},
            status=Suggestion.Status.OPEN,
        ).values_list("pk", "location_id", "supplier_id")
        if (loc, supplier) in replaced
    ]
    for chunk in range(0, len(stale), 1000):
        Suggestion.objects.filter(pk__in=stale[chunk : chunk + 1000]).update(
            status=Suggestion.Status.SUPERSEDED
        )
    created = Suggestion.objects.bulk_create([s for s, _m in made], batch_size=WRITE_BATCH)
    insert(
        LINES_TABLE,
        LINE_COLUMNS,
        [
            (
                suggestion.pk,
                m.item.pk,
                m.supplier_item.pk if m.supplier_item else None,
                m.result.packs,
                m.supplier_item.pack_factor if m.supplier_item else None,
                m.result.quantity,
                m.price,
                m.result.amount,
                db_json(m.result.explanation.as_dict()),
                db_json(_warnings_of(m.result, suggestion.supplier_id is not None)),
                None,
                False,
            )
            for suggestion, (_s, members) in zip(created, made, strict=True)
            for m in members
        ],
    )
    for suggestion in created:
        record_audit(actor, AuditEntry.Action.CREATE, suggestion, verb="suggested")
    summary.suggestions = created
    if summary.suggestions:
        emit_event(
            "planning.orders_suggested",
            {"run_id": run.pk, "suggestion_ids": [s.pk for s in summary.suggestions]},
            organization_id=actor.organization_id,
            actor=actor,
        )
    summary.transfers = _transfers(actor, run, lines, local.date())
    return summary


def _transfers(
    actor: Actor, run: ForecastRun, lines: list[_Line], today: dt.date
) -> list[TransferSuggestion]:
    """Stock that would expire unused, offered to a store of the same region running short."""
    shortages, surpluses = [], []
    for line in lines:
        group = str(line.location.region_id or 0)
        e = line.result.explanation
        if e.short_before_delivery > 0:
            shortages.append(
                replenish.Shortage(
                    line.location.pk, group, line.item.pk, e.short_before_delivery, e.delivery
                )
            )
        for waste in line.result.waste:
            surpluses.append(
                replenish.Surplus(
                    line.location.pk,
                    group,
                    line.item.pk,
                    waste.lot_id,
                    waste.quantity,
                    waste.expiry,
                )
            )
    moves = replenish.suggest_transfers(
        shortages, surpluses, ship_date=today + dt.timedelta(days=1)
    )
    TransferSuggestion.objects.filter(
        organization=actor.organization,
        status=TransferSuggestion.Status.OPEN,
        to_location_id__in={line.location.pk for line in lines},
    ).update(status=TransferSuggestion.Status.SUPERSEDED)
    return TransferSuggestion.objects.bulk_create(
        [
            TransferSuggestion(
                organization=actor.organization,
                run=run,
                from_location_id=move.from_location_id,
                to_location_id=move.to_location_id,
                item_id=move.item_id,
                lot_id=move.lot_id,
                quantity=move.quantity,
                expiry_date=move.expiry,
            )
            for move in moves
        ]
    )
