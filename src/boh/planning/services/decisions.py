"""What people (and automatic ordering) decide about suggestions: accept as suggested or
edited into a purchase order, dismiss; accept a suggested transfer into a requested
transfer, or reject it with a reason; suggestions within set limits approved without
anyone, and sent to the supplier at the order cut-off.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, conflict, permission_denied, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import QTY_PLACES, ZERO
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory.documents import transfers
from boh.inventory.documents.models import Transfer, TransferLine
from boh.inventory.models import Balance, LotStatus
from boh.menu.selectors import business_today
from boh.org.access import Actor, system_actor
from boh.org.models import Organization
from boh.org.roles import Perm
from boh.planning import errors, replenish
from boh.planning.models import Suggestion, SuggestionLine, TransferSuggestion
from boh.planning.services.replenishment import Policies
from boh.purchasing import services as purchasing
from boh.purchasing.models import OrderSource, OrderStatus, PurchaseOrder

logger = logging.getLogger(__name__)

# Automatic orders go out this long before the cut-off, so a slow mail server still makes it.
SEND_AHEAD = dt.timedelta(minutes=30)


def _require_open(suggestion: Suggestion) -> None:
    if suggestion.status != Suggestion.Status.OPEN:
        raise conflict(
            errors.NOT_OPEN,
            _("This suggestion is %(status)s; only an open one can be decided.")
            % {"status": Suggestion.Status(suggestion.status).label},
            "status",
        )


def _packs(
    suggestion: Suggestion, edits: list[dict[str, Any]] | None
) -> list[tuple[SuggestionLine, Decimal]]:
    """The packs to order of each line: as suggested, or as edited; errors name lines[i]."""
    lines = list(suggestion.lines.select_related("supplier_item", "item"))
    chosen = {line.pk: line.packs or ZERO for line in lines}
    check = Checker()
    by_id = {line.pk: line for line in lines}
    for i, edit in enumerate(edits or []):
        at = f"lines[{i}]"
        if not isinstance(edit, dict):
            check.fail(at, "invalid", _("Each line must be an object."))
            continue
        line = by_id.get(edit.get("line_id"))  # type: ignore[arg-type]
        if line is None:
            check.fail(f"{at}.line_id", "not_found", _("No such line on this suggestion."))
            continue
        packs = check.decimal(f"{at}.packs", edit.get("packs"), places=QTY_PLACES, minimum=ZERO)
        si = line.supplier_item
        if si is None and packs > 0:
            check.fail(
                f"{at}.packs",
                errors.NO_SUPPLIER,
                _("%(item)s has no supplier to order it from.") % {"item": line.item.name},
            )
        elif si is not None and 0 < packs < si.moq:
            check.fail(
                f"{at}.packs",
                "below_moq",
                _("%(item)s is sold in at least %(moq)s %(pack)s.")
                % {"item": line.item.name, "moq": si.moq.normalize(), "pack": si.pack_code},
            )
        chosen[line.pk] = packs
    check.raise_if_any()
    return [(line, chosen[line.pk]) for line in lines]


def accept_suggestion(
    actor: Actor,
    suggestion: Suggestion,
    *,
    lines: list[dict[str, Any]] | None = None,
    note: str = "",
) -> PurchaseOrder:
    """Turn a suggestion into a draft purchase order, as suggested or with edited packs.

    Each line records what was ordered and whether it was changed.
    """
    actor.require(Perm.PURCHASING_MANAGE, suggestion.location_id)
    _require_open(suggestion)
    if suggestion.supplier_id is None:
        raise validation_error(
            errors.NO_SUPPLIER,
            _("These items have no supplier: set a preferred supplier, then plan again."),
            "supplier_id",
        )
    decided = _packs(suggestion, lines)
    order_lines = [
        {"supplier_item_id": line.supplier_item_id, "quantity": packs}
        for line, packs in decided
        if packs > 0 and line.supplier_item_id is not None
    ]
    if not order_lines:
        raise validation_error(errors.NOTHING_TO_ORDER, _("Nothing is left to order."), "lines")

    with transaction.atomic():
        order = purchasing.create_order(
            actor,
            supplier_id=suggestion.supplier_id,
            location_id=suggestion.location_id,
            lines=order_lines,
            expected_date=suggestion.delivery_date,
            note=note,
            source=OrderSource.SUGGESTION,
        )
        _decide(actor, suggestion, decided, order, Suggestion.Status.ACCEPTED)
    logger.info(
        "suggestion %s accepted as %s (%d of %d lines changed)",
        suggestion.pk,
        order.number,
        sum(1 for line, packs in decided if packs != (line.packs or ZERO)),
        len(decided),
    )
    return order


def _decide(
    actor: Actor,
    suggestion: Suggestion,
    decided: list[tuple[SuggestionLine, Decimal]],
    order: PurchaseOrder | None,
    status: str,
) -> None:
    """Record the decision on the suggestion and its lines; call inside a transaction."""
    before = snapshot(suggestion)
    for line, packs in decided:
        line.accepted_packs = packs
        line.edited = packs != (line.packs or ZERO)
        line.save(update_fields=["accepted_packs", "edited"])
    suggestion.status = status
    suggestion.purchase_order = order
    suggestion.decided_by = actor.user
    suggestion.decided_at = timezone.now()
    suggestion.save()
    record_audit(actor, AuditEntry.Action.UPDATE, suggestion, before=before, verb=status)
    emit_event(
        "planning.suggestion_decided",
        {
            "suggestion_id": suggestion.pk,
            "status": status,
            "order_id": order.pk if order else None,
            "edited_lines": sum(1 for line, _p in decided if line.edited),
        },
        organization_id=actor.organization_id,
        actor=actor,
    )


def dismiss_suggestion(actor: Actor, suggestion: Suggestion) -> Suggestion:
    """Decide not to order what a suggestion proposes."""
    actor.require(Perm.PURCHASING_MANAGE, suggestion.location_id)
    _require_open(suggestion)
    with transaction.atomic():
        before = snapshot(suggestion)
        suggestion.status = Suggestion.Status.DISMISSED
        suggestion.decided_by = actor.user
        suggestion.decided_at = timezone.now()
        suggestion.save()
        record_audit(actor, AuditEntry.Action.UPDATE, suggestion, before=before, verb="dismissed")
    return suggestion


def _require_stock_post(actor: Actor, suggestion: TransferSuggestion) -> None:
    if not (
        actor.can(Perm.STOCK_POST, suggestion.from_location_id)
        or actor.can(Perm.STOCK_POST, suggestion.to_location_id)
    ):
        raise permission_denied(_("Your role does not allow this action."))


def _transfer_conflict(suggestion: TransferSuggestion) -> BohError:
    return conflict(
        errors.NOT_OPEN,
        _("This suggested transfer is %(status)s; only an open one can be decided.")
        % {"status": TransferSuggestion.Status(suggestion.status).label},
        "status",
    )


def accept_transfer(actor: Actor, suggestion: TransferSuggestion) -> Transfer:
    """Request the suggested transfer of the lot from one store to the other.

    The transfer is requested as any other (the sending store approves and ships it), for
    the suggested quantity or, if less, what the lot still holds there that no other
    transfer waits for; the note says which. Accepting an accepted suggestion again returns
    its transfer and changes nothing.
    """
    _require_stock_post(actor, suggestion)
    with transaction.atomic():
        locked = (
            TransferSuggestion.objects.select_for_update(of=("self",))
            .select_related("lot", "item", "from_location")
            .get(pk=suggestion.pk)
        )
        if locked.status == TransferSuggestion.Status.ACCEPTED and locked.transfer_id:
            transfer = Transfer.objects.get(pk=locked.transfer_id)
            _copy_decision(locked, suggestion)
            return transfer
        if locked.status != TransferSuggestion.Status.OPEN:
            raise _transfer_conflict(locked)
        lot = locked.lot
        today = business_today(actor.organization)
        if (
            lot is None
            or lot.status != LotStatus.AVAILABLE
            or (lot.expiry_date is not None and lot.expiry_date < today)
        ):
            raise conflict(
                errors.TRANSFER_LOT_UNAVAILABLE,
                _("The lot of this suggestion is no longer available to send."),
                "lot_id",
            )
        held = (
            Balance.objects.filter(
                location_id=locked.from_location_id, item_id=locked.item_id, lot_id=lot.pk
            ).aggregate(total=Sum("quantity"))["total"]
            or ZERO
        )
        promised = (
            TransferLine.objects.filter(
                transfer__from_location_id=locked.from_location_id,
                transfer__status__in=(Transfer.Status.REQUESTED, Transfer.Status.APPROVED),
                lot_id=lot.pk,
            ).aggregate(total=Sum("requested_quantity"))["total"]
            or ZERO
        )
        quantity = min(locked.quantity, held - promised)
        if quantity <= 0:
            raise conflict(
                errors.TRANSFER_STOCK_GONE,
                _("%(location)s no longer holds lot %(lot)s of %(item)s.")
                % {
                    "location": locked.from_location.name,
                    "lot": lot.code,
                    "item": locked.item.name,
                },
                "quantity",
            )
        note = _("Suggested transfer #%(id)s: %(quantity)s %(unit)s of lot %(lot)s.") % {
            "id": locked.pk,
            "quantity": _plain(locked.quantity),
            "unit": locked.item.base_unit,
            "lot": lot.code,
        }
        if quantity < locked.quantity:
            note += " " + _("Only %(held)s %(unit)s of the lot are left to send.") % {
                "held": _plain(quantity),
                "unit": locked.item.base_unit,
            }
        transfer = transfers.create_transfer(
            actor,
            from_location_id=locked.from_location_id,
            to_location_id=locked.to_location_id,
            lines=[{"item_id": locked.item_id, "lot_id": lot.pk, "quantity": quantity}],
            note=note,
        )
        before = snapshot(locked)
        locked.status = TransferSuggestion.Status.ACCEPTED
        locked.transfer = transfer
        locked.decided_by = actor.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "transfer", "decided_by", "decided_at"])
        record_audit(actor, AuditEntry.Action.UPDATE, locked, before=before, verb="accepted")
        emit_event(
            "planning.transfer_decided",
            {
                "transfer_suggestion_id": locked.pk,
                "status": locked.status,
                "transfer_id": transfer.pk,
                "quantity": quantity,
            },
            organization_id=actor.organization_id,
            actor=actor,
        )
    _copy_decision(locked, suggestion)
    logger.info(
        "transfer suggestion %s accepted as transfer %s: %s of item %s",
        locked.pk,
        transfer.pk,
        quantity,
        locked.item_id,
    )
    return transfer


def _plain(quantity: Decimal) -> str:
    """A quantity without trailing zeros or an exponent: 1500.000 -> 1500."""
    return format(quantity.normalize(), "f")


def _copy_decision(source: TransferSuggestion, target: TransferSuggestion) -> None:
    for name in ("status", "transfer_id", "reason", "decided_by_id", "decided_at"):
        setattr(target, name, getattr(source, name))


def reject_transfer(
    actor: Actor, suggestion: TransferSuggestion, *, reason: str
) -> TransferSuggestion:
    """Decide not to make a suggested transfer, and say why."""
    _require_stock_post(actor, suggestion)
    check = Checker()
    reason = check.text("reason", reason, max_length=500)
    check.raise_if_any()
    with transaction.atomic():
        locked = TransferSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if locked.status != TransferSuggestion.Status.OPEN:
            raise _transfer_conflict(locked)
        before = snapshot(locked)
        locked.status = TransferSuggestion.Status.REJECTED
        locked.reason = reason
        locked.decided_by = actor.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record_audit(actor, AuditEntry.Action.UPDATE, locked, before=before, verb="rejected")
        emit_event(
            "planning.transfer_decided",
            {"transfer_suggestion_id": locked.pk, "status": locked.status, "reason": reason},
            organization_id=actor.organization_id,
            actor=actor,
        )
    _copy_decision(locked, suggestion)
    return suggestion


def auto_blocker(suggestion: Suggestion, policies: Policies) -> str | None:
    """Why a suggestion may not be approved automatically, or None when it may."""
    if suggestion.supplier_id is None:
        return "no_supplier"
    codes = {w.get("code") for w in suggestion.warnings}
    if replenish.BELOW_MINIMUM in codes:
        return "below_minimum"
    if replenish.NO_DELIVERY_DAYS in codes:
        return "no_delivery_days"
    lines = [line for line in suggestion.lines.select_related("item") if line.packs]
    if not lines:
        return "nothing_to_order"
    limits = []
    for line in lines:
        chain = policies.chain(line.item.category_id, suggestion.supplier_id)
        setting = next((s for s in chain if s.auto_approve), None)
        if setting is None:
            return "not_automatic"
        if any(code == replenish.PACK_OUTLASTS_SHELF_LIFE for code in line.warnings):
            return "line_warning"
        if setting.max_line_packs is not None and (line.packs or ZERO) > setting.max_line_packs:
            return "line_above_limit"
        limits.append(setting.max_order_value)
    ceiling = min((v for v in limits if v is not None), default=None)
    if ceiling is not None and suggestion.total > ceiling:
        return "order_above_limit"
    return None


def approve_automatically(organization: Organization) -> list[PurchaseOrder]:
    """Open suggestions within their automatic limits become approved orders."""
    actor = system_actor(organization)
    policies = Policies(organization.pk)
    if not policies.automatic:
        return []
    orders = []
    for suggestion in Suggestion.objects.filter(
        organization=organization, status=Suggestion.Status.OPEN
    ).order_by("pk"):
        if auto_blocker(suggestion, policies) is not None:
            continue
        decided = [(line, line.packs or ZERO) for line in suggestion.lines.all()]
        try:
            with transaction.atomic():
                order = purchasing.create_order(
                    actor,
                    supplier_id=suggestion.supplier_id,  # type: ignore[arg-type]
                    location_id=suggestion.location_id,
                    lines=[
                        {"supplier_item_id": line.supplier_item_id, "quantity": packs}
                        for line, packs in decided
                        if packs > 0
                    ],
                    expected_date=suggestion.delivery_date,
                    source=OrderSource.SUGGESTION,
                )
                order = purchasing.submit_order(actor, order)
                order = purchasing.approve_order(actor, order)
                _decide(actor, suggestion, decided, order, Suggestion.Status.AUTO_APPROVED)
        except BohError as exc:
            logger.warning("suggestion %s not ordered automatically: %s", suggestion.pk, exc.code)
            continue
        orders.append(order)
    return orders


def send_due_orders(organization: Organization, now: dt.datetime | None = None) -> list[str]:
    """Send automatic orders whose cut-off is near (or that have none); returns the numbers."""
    actor = system_actor(organization)
    moment = now or timezone.now()
    sent = []
    due = Suggestion.objects.filter(
        organization=organization,
        status=Suggestion.Status.AUTO_APPROVED,
        purchase_order__status=OrderStatus.APPROVED,
    ).select_related("purchase_order")
    for suggestion in due:
        if suggestion.cutoff_at is not None and suggestion.cutoff_at - SEND_AHEAD > moment:
            continue
        order = suggestion.purchase_order
        assert order is not None
        try:
            purchasing.send_order(actor, order)
        except BohError as exc:
            logger.warning("automatic order %s could not be sent: %s", order.number, exc.code)
            continue
        sent.append(order.number)
    return sent
