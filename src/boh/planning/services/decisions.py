"""What people (and automatic ordering) decide about suggestions: accept as suggested or
edited into a purchase order, dismiss; suggestions within set limits approved without
anyone, and sent to the supplier at the order cut-off.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import QTY_PLACES, ZERO
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
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


def dismiss_transfer(actor: Actor, transfer: TransferSuggestion) -> TransferSuggestion:
    """Decide not to make a suggested transfer."""
    actor.require(Perm.STOCK_POST, transfer.from_location_id)
    if transfer.status != TransferSuggestion.Status.OPEN:
        raise conflict(errors.NOT_OPEN, _("Only an open suggestion can be dismissed."), "status")
    with transaction.atomic():
        before = snapshot(transfer)
        transfer.status = TransferSuggestion.Status.DISMISSED
        transfer.save(update_fields=["status"])
        record_audit(actor, AuditEntry.Action.UPDATE, transfer, before=before, verb="dismissed")
    return transfer


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
