"""Writes of transfers: request, approve, ship, receive, cancel and resolve a shortfall.

Shipping posts transfer_out moves at the sender, valued at its current cost; receiving
posts transfer_in moves at the destination at exactly the cost and lot that left, and
damaged stock then goes out again as waste at the destination.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, conflict, permission_denied, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO, round_qty
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory.documents import errors
from boh.inventory.documents.common import (
    CleanLine,
    base_quantity,
    check_lines,
    check_location,
    ledger_refusal,
    lot_unavailable,
    lots_of,
    packs_by_item,
)
from boh.inventory.documents.models import Transfer, TransferLine, TransferShipment
from boh.inventory.models import MoveKind
from boh.inventory.services import MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

SOURCE = "transfer"
Status = Transfer.Status


def _require_either(actor: Actor, perm: str, transfer: Transfer) -> None:
    if not (actor.can(perm, transfer.from_location_id) or actor.can(perm, transfer.to_location_id)):
        raise permission_denied(_("Your role does not allow this action."))


def _locked(transfer: Transfer, allowed: set[str]) -> Transfer:
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status not in allowed:
        raise conflict(
            errors.WRONG_STATUS,
            _("This transfer is %(status)s; that step is not possible now.")
            % {"status": locked.get_status_display()},
            "status",
        )
    return locked


def _write_lines(transfer: Transfer, lines: list[CleanLine]) -> None:
    TransferLine.objects.bulk_create(
        TransferLine(
            transfer=transfer,
            position=i + 1,
            item=line.item,
            lot=line.lot,
            requested_quantity=line.quantity,
            entered_quantity=line.entered_quantity,
            entered_unit=line.entered_unit,
        )
        for i, line in enumerate(lines)
    )


def _announce(actor: Actor, transfer: Transfer, what: str, verb: str, **extra: Any) -> None:
    record_audit(actor, AuditEntry.Action.ACTION, transfer, verb=verb)
    emit_event(
        f"inventory.transfer_{what}",
        {
            "transfer_id": transfer.pk,
            "from_location_id": transfer.from_location_id,
            "to_location_id": transfer.to_location_id,
            **extra,
        },
        organization_id=transfer.organization_id,
        actor=actor,
    )


def create_transfer(
    actor: Actor,
    *,
    from_location_id: int,
    to_location_id: int,
    lines: Sequence[Mapping[str, Any]],
    note: str = "",
) -> Transfer:
    """Request stock to be sent from one location to another."""
    check = Checker()
    source = check_location(actor, check, "from_location_id", from_location_id)
    target = check_location(actor, check, "to_location_id", to_location_id)
    if source is not None and target is not None and source.pk == target.pk:
        check.fail(
            "to_location_id",
            errors.SAME_LOCATION,
            _("A transfer needs two different locations."),
        )
    note = check.text("note", note, max_length=2000, required=False)
    clean = check_lines(actor, check, lines)
    check.raise_if_any()
    assert source is not None and target is not None
    if not (actor.can(Perm.STOCK_POST, source.pk) or actor.can(Perm.STOCK_POST, target.pk)):
        raise permission_denied(_("Your role does not allow this action."))

    with transaction.atomic():
        transfer = Transfer.objects.create(
            organization=actor.organization,
            from_location=source,
            to_location=target,
            note=note,
            requested_by_user_id=actor.user_id,
            requested_by_api_key_id=actor.api_key_id,
        )
        _write_lines(transfer, clean)
        record_audit(actor, AuditEntry.Action.CREATE, transfer)
        emit_event(
            "inventory.transfer_requested",
            {
                "transfer_id": transfer.pk,
                "from_location_id": source.pk,
                "to_location_id": target.pk,
                "lines": len(clean),
            },
            organization_id=transfer.organization_id,
            actor=actor,
        )
    logger.info(
        "transfer %s requested: %s -> %s, %d lines",
        transfer.pk,
        source.code,
        target.code,
        len(clean),
    )
    return transfer


def update_transfer(
    actor: Actor,
    transfer: Transfer,
    *,
    note: str | None = None,
    lines: Sequence[Mapping[str, Any]] | None = None,
) -> Transfer:
    """Change the note or replace the lines of a transfer that is still only requested."""
    _require_either(actor, Perm.STOCK_POST, transfer)
    check = Checker()
    clean_note = None if note is None else check.text("note", note, max_length=2000, required=False)
    clean = None if lines is None else check_lines(actor, check, lines)
    check.raise_if_any()

    with transaction.atomic():
        locked = _locked(transfer, {Status.REQUESTED})
        before = snapshot(locked)
        if clean_note is not None:
            locked.note = clean_note
            locked.save(update_fields=["note"])
        if clean is not None:
            locked.lines.all().delete()
            _write_lines(locked, clean)
        record_audit(actor, AuditEntry.Action.UPDATE, locked, before=before)
    return locked


def delete_transfer(actor: Actor, transfer: Transfer) -> None:
    """Delete a request that was never approved (an approved one is cancelled instead)."""
    _require_either(actor, Perm.STOCK_POST, transfer)
    with transaction.atomic():
        locked = _locked(transfer, {Status.REQUESTED})
        before = snapshot(locked)
        record_audit(actor, AuditEntry.Action.DELETE, locked, before=before)
        locked.delete()


def approve_transfer(actor: Actor, transfer: Transfer) -> Transfer:
    """The sending location agrees to ship."""
    actor.require(Perm.STOCK_APPROVE, transfer.from_location_id)
    with transaction.atomic():
        locked = _locked(transfer, {Status.REQUESTED})
        locked.status = Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by_user_id = actor.user_id
        locked.save(update_fields=["status", "approved_at", "approved_by_user_id"])
        _announce(actor, locked, "approved", "approve")
    return locked


def cancel_transfer(actor: Actor, transfer: Transfer) -> Transfer:
    """Call off a transfer before anything has shipped."""
    _require_either(actor, Perm.STOCK_POST, transfer)
    with transaction.atomic():
        locked = _locked(transfer, {Status.REQUESTED, Status.APPROVED})
        locked.status = Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by_user_id = actor.user_id
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by_user_id"])
        _announce(actor, locked, "cancelled", "cancel")
    return locked


def _ship_plan(
    actor: Actor,
    lines: list[TransferLine],
    overrides: Sequence[Mapping[str, Any]] | None,
) -> list[tuple[str, TransferLine, Decimal, int | None]]:
    """(field prefix, line, base quantity, lot id) to ship, checked."""
    if overrides is None:
        return [
            (f"lines[{i}]", line, line.requested_quantity, line.lot_id)
            for i, line in enumerate(lines)
        ]
    check = Checker()
    by_id = {line.pk: line for line in lines}
    lots = lots_of(actor, (o.get("lot_id") for o in overrides))
    packs = packs_by_item(line.item_id for line in lines)
    plan: list[tuple[str, TransferLine, Decimal, int | None]] = []
    seen: set[int] = set()
    for i, wanted in enumerate(overrides):
        p = f"lines[{i}]"
        line_id = wanted.get("line_id")
        line = by_id.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            check.fail(f"{p}.line_id", errors.NOT_FOUND, _("No such line on this transfer."))
            continue
        if line.pk in seen:
            check.fail(f"{p}.line_id", errors.DUPLICATE_LINE, _("This line is already listed."))
        seen.add(line.pk)
        base = line.requested_quantity
        if wanted.get("quantity") is not None:
            base, _n, _u = base_quantity(
                check,
                p,
                line.item,
                wanted.get("quantity"),
                wanted.get("unit"),
                packs.get(line.item_id, {}),
                positive=False,
            )
        lot_id = wanted.get("lot_id") or line.lot_id
        if lot_id is not None:
            lot = lots.get(lot_id) if lot_id != line.lot_id else line.lot
            if lot is None:
                check.fail(f"{p}.lot_id", errors.NOT_FOUND, _("No such lot."))
            elif lot.item_id != line.item_id:
                check.fail(
                    f"{p}.lot_id",
                    errors.LOT_OF_OTHER_ITEM,
                    _("Lot %(lot)s belongs to another item.") % {"lot": lot.code},
                )
        plan.append((p, line, base, lot_id))
    check.raise_if_any()
    listed = {line.pk for _p, line, _q, _l in plan}
    plan += [
        (f"lines[{len(overrides) + i}]", line, line.requested_quantity, line.lot_id)
        for i, line in enumerate(x for x in lines if x.pk not in listed)
    ]
    return plan


def ship_transfer(
    actor: Actor, transfer: Transfer, *, lines: Sequence[Mapping[str, Any]] | None = None
) -> Transfer:
    """Send the stock: it leaves the sender at its current cost and is in transit.

    Without lines every line ships as requested; a line listed without a quantity ships as
    requested (from the lot given, if any) and one with quantity 0 stays behind.
    """
    actor.require(Perm.STOCK_POST, transfer.from_location_id)
    # Bad input is refused as such (400) before the transfer's state is looked at (409).
    _ship_plan(actor, list(transfer.lines.select_related("item", "lot")), lines)
    with transaction.atomic():
        locked = _locked(transfer, {Status.APPROVED})
        db_lines = list(locked.lines.select_related("item", "lot"))
        plan = [p for p in _ship_plan(actor, db_lines, lines) if p[2] > 0]
        if not plan:
            raise validation_error(errors.NO_LINES, _("Nothing to ship."), "lines")

        specs = [
            MoveSpec(
                location_id=locked.from_location_id,
                item_id=line.item_id,
                quantity=-quantity,
                kind=MoveKind.TRANSFER_OUT,
                lot_id=lot_id,
                reason=SOURCE,
                source_line=str(line.pk),
            )
            for _p, line, quantity, lot_id in plan
        ]
        try:
            result = post_moves(actor, specs, source_type=SOURCE, source_id=str(locked.pk))
        except BohError as exc:
            raise ledger_refusal(exc, {k: p for k, (p, *_rest) in enumerate(plan)}) from None

        by_id = {line.pk: line for line in db_lines}
        shipped: dict[int, Decimal] = {}
        TransferShipment.objects.bulk_create(
            TransferShipment(
                line_id=int(move.source_line),
                lot_id=move.lot_id,
                quantity=-move.quantity,
                unit_cost=move.unit_cost,
                value=-move.value,
                out_move_id=move.pk,
            )
            for move in result.moves
        )
        for move in result.moves:
            line_id = int(move.source_line)
            shipped[line_id] = shipped.get(line_id, ZERO) - move.quantity
        for line in db_lines:
            line.shipped_quantity = round_qty(shipped.get(line.pk, ZERO))
        TransferLine.objects.bulk_update(by_id.values(), ["shipped_quantity"])

        locked.status = Status.SHIPPED
        locked.shipped_at = timezone.now()
        locked.shipped_by_user_id = actor.user_id
        locked.save(update_fields=["status", "shipped_at", "shipped_by_user_id"])
        value = -sum((m.value for m in result.moves), ZERO)
        _announce(actor, locked, "shipped", "ship", value=value, batch=result.batch)
    logger.info("transfer %s shipped: %d moves", locked.pk, len(result.moves))
    return locked


def _allocate(shipments: list[TransferShipment], received: Decimal, damaged: Decimal) -> None:
    """Spread what arrived over the shipped lots in shipping order (earliest expiry first)."""
    arrived_left = received + damaged
    damaged_left = damaged
    for i, shipment in enumerate(shipments):
        last = i == len(shipments) - 1
        arrived = arrived_left if last else min(arrived_left, shipment.quantity)
        arrived_left -= arrived
        hurt = min(damaged_left, arrived)
        damaged_left -= hurt
        shipment.damaged_quantity = hurt
        shipment.received_quantity = arrived - hurt
        shipment.short_quantity = max(shipment.quantity - arrived, ZERO)
        shipment.over_quantity = max(arrived - shipment.quantity, ZERO)


def _receipt_counts(
    check: Checker,
    lines: list[TransferLine],
    counts: Sequence[Mapping[str, Any]] | None,
    shipped: bool = True,
) -> dict[int, tuple[str, Decimal, Decimal]]:
    """Per line id: (field prefix, received good, damaged), in base units."""
    by_id = {line.pk: line for line in lines}
    result: dict[int, tuple[str, Decimal, Decimal]] = {}
    packs = packs_by_item(line.item_id for line in lines)
    for i, count in enumerate(counts or ()):
        p = f"lines[{i}]"
        line_id = count.get("line_id")
        line = by_id.get(line_id) if isinstance(line_id, int) else None
        if line is None:
            check.fail(f"{p}.line_id", errors.NOT_FOUND, _("No such line on this transfer."))
            continue
        if line.pk in result:
            check.fail(f"{p}.line_id", errors.DUPLICATE_LINE, _("This line is already listed."))
        item_packs = packs.get(line.item_id, {})
        unit = count.get("unit")
        hurt, _n, _u = base_quantity(
            check,
            p,
            line.item,
            count.get("damaged_quantity") or 0,
            unit,
            item_packs,
            positive=False,
            name="damaged_quantity",
        )
        if count.get("received_quantity") is None:
            good = max((line.shipped_quantity or ZERO) - hurt, ZERO)
        else:
            good, _n, _u = base_quantity(
                check,
                p,
                line.item,
                count.get("received_quantity"),
                unit,
                item_packs,
                positive=False,
                name="received_quantity",
            )
        if shipped and not line.shipped_quantity and good + hurt > 0:
            check.fail(
                f"{p}.received_quantity",
                errors.NOT_SHIPPED,
                _("Nothing of this line was shipped."),
            )
        result[line.pk] = (p, good, hurt)
    for line in lines:
        if line.pk not in result:
            result[line.pk] = ("lines", line.shipped_quantity or ZERO, ZERO)
    return result


def receive_transfer(
    actor: Actor,
    transfer: Transfer,
    *,
    lines: Sequence[Mapping[str, Any]] | None = None,
    note: str = "",
) -> Transfer:
    """Take the stock in at the destination, recording short, over and damaged quantities.

    Lines not listed are received exactly as shipped; a line without received_quantity
    arrived complete apart from its damaged_quantity. Damaged stock is taken in and then
    wasted at the destination; a shortfall stays open until resolve_transfer.
    """
    actor.require(Perm.STOCK_POST, transfer.to_location_id)
    check = Checker()
    note = check.text("note", note, max_length=2000, required=False)
    _receipt_counts(check, list(transfer.lines.select_related("item")), lines, shipped=False)
    check.raise_if_any()

    with transaction.atomic():
        locked = _locked(transfer, {Status.SHIPPED})
        db_lines = list(locked.lines.select_related("item"))
        counts = _receipt_counts(check, db_lines, lines)
        check.raise_if_any()
        shipments_of: dict[int, list[TransferShipment]] = {}
        for shipment in TransferShipment.objects.filter(line__transfer=locked).select_related(
            "lot"
        ):
            shipments_of.setdefault(shipment.line_id, []).append(shipment)

        today = timezone.localdate()
        specs: list[MoveSpec] = []
        fields: dict[int, str] = {}
        for line in db_lines:
            prefix, good, hurt = counts[line.pk]
            shipments = shipments_of.get(line.pk, [])
            if not shipments:
                continue
            _allocate(shipments, good, hurt)
            for shipment in shipments:
                arrived = shipment.received_quantity + shipment.damaged_quantity
                if arrived > 0:
                    fields[len(specs)] = prefix
                    specs.append(
                        MoveSpec(
                            location_id=locked.to_location_id,
                            item_id=line.item_id,
                            quantity=arrived,
                            kind=MoveKind.TRANSFER_IN,
                            lot_id=shipment.lot_id,
                            unit_cost=shipment.unit_cost,
                            reason=SOURCE,
                            source_line=str(line.pk),
                        )
                    )
                if shipment.damaged_quantity > 0:
                    override = lot_unavailable(shipment.lot, today)
                    fields[len(specs)] = f"{prefix}.damaged"
                    specs.append(
                        MoveSpec(
                            location_id=locked.to_location_id,
                            item_id=line.item_id,
                            quantity=-shipment.damaged_quantity,
                            kind=MoveKind.WASTE,
                            lot_id=shipment.lot_id,
                            reason="damaged_in_transit",
                            source_line=str(line.pk),
                            allow_unavailable_lot=override,
                            override_note=(
                                _("Arrived damaged on transfer TR-%(id)s.") % {"id": locked.pk}
                                if override
                                else ""
                            ),
                        )
                    )
            line.received_quantity = round_qty(sum((s.received_quantity for s in shipments), ZERO))
            line.damaged_quantity = round_qty(sum((s.damaged_quantity for s in shipments), ZERO))
            line.short_quantity = round_qty(sum((s.short_quantity for s in shipments), ZERO))
            line.over_quantity = round_qty(sum((s.over_quantity for s in shipments), ZERO))

        batch = None
        if specs:
            try:
                result = post_moves(actor, specs, source_type=SOURCE, source_id=str(locked.pk))
            except BohError as exc:
                raise ledger_refusal(exc, fields) from None
            batch = result.batch
        TransferShipment.objects.bulk_update(
            [s for group in shipments_of.values() for s in group],
            ["received_quantity", "damaged_quantity", "short_quantity", "over_quantity"],
        )
        TransferLine.objects.bulk_update(
            db_lines, ["received_quantity", "damaged_quantity", "short_quantity", "over_quantity"]
        )

        open_issue = any(line.short_quantity > 0 or line.over_quantity > 0 for line in db_lines)
        locked.status = Status.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by_user_id = actor.user_id
        locked.receive_note = note
        locked.discrepancy = Transfer.Discrepancy.OPEN if open_issue else Transfer.Discrepancy.NONE
        locked.save(
            update_fields=[
                "status",
                "received_at",
                "received_by_user_id",
                "receive_note",
                "discrepancy",
            ]
        )
        _announce(actor, locked, "received", "receive", batch=batch, discrepancy=locked.discrepancy)
    logger.info("transfer %s received, discrepancy %s", locked.pk, locked.discrepancy)
    return locked


def resolve_transfer(
    actor: Actor, transfer: Transfer, *, resolution: str, note: str = ""
) -> Transfer:
    """Close a received transfer's shortfall: found, never left, or lost and written off."""
    check = Checker()
    resolution = check.choice("resolution", resolution, set(Transfer.Resolution.values))
    note = check.text("note", note, max_length=2000, required=False)
    check.raise_if_any()
    at_destination = resolution == Transfer.Resolution.FOUND
    location_id = transfer.to_location_id if at_destination else transfer.from_location_id
    actor.require(Perm.STOCK_APPROVE, location_id)

    with transaction.atomic():
        locked = _locked(transfer, {Status.RECEIVED})
        if locked.discrepancy != Transfer.Discrepancy.OPEN:
            raise conflict(
                errors.NOTHING_TO_RESOLVE, _("This transfer has no open discrepancy."), "status"
            )
        short = list(
            TransferShipment.objects.filter(line__transfer=locked, short_quantity__gt=0)
            .select_related("line", "lot")
            .order_by("line__position", "id")
        )
        today = timezone.localdate()
        specs: list[MoveSpec] = []
        for shipment in short:
            specs.append(
                MoveSpec(
                    location_id=location_id,
                    item_id=shipment.line.item_id,
                    quantity=shipment.short_quantity,
                    kind=MoveKind.TRANSFER_IN,
                    lot_id=shipment.lot_id,
                    unit_cost=shipment.unit_cost,
                    reason=resolution,
                    source_line=str(shipment.line_id),
                )
            )
            if resolution == Transfer.Resolution.WRITTEN_OFF:
                override = lot_unavailable(shipment.lot, today)
                specs.append(
                    MoveSpec(
                        location_id=location_id,
                        item_id=shipment.line.item_id,
                        quantity=-shipment.short_quantity,
                        kind=MoveKind.WASTE,
                        lot_id=shipment.lot_id,
                        reason="lost_in_transit",
                        source_line=str(shipment.line_id),
                        allow_unavailable_lot=override,
                        override_note=(
                            _("Lost on transfer TR-%(id)s.") % {"id": locked.pk} if override else ""
                        ),
                    )
                )
        if specs:
            post_moves(
                actor,
                specs,
                source_type=SOURCE,
                source_id=str(locked.pk),
                permission=Perm.STOCK_APPROVE,
            )

        locked.discrepancy = Transfer.Discrepancy.RESOLVED
        locked.resolution = resolution
        locked.resolution_note = note
        locked.resolved_at = timezone.now()
        locked.resolved_by_user_id = actor.user_id
        locked.save(
            update_fields=[
                "discrepancy",
                "resolution",
                "resolution_note",
                "resolved_at",
                "resolved_by_user_id",
            ]
        )
        _announce(actor, locked, "resolved", "resolve", resolution=resolution)
    return locked
