"""Approval rules: up to which order total each role may approve, and where."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.core.services import record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm, Role
from boh.purchasing import errors
from boh.purchasing.models import ApprovalRule
from boh.purchasing.services.common import check_money, check_org_location


def check_min_value(value: Any) -> Decimal:
    """A non-negative money amount, or a field error on max_amount."""
    check = Checker()
    amount = check_money(check, "max_amount", value)
    check.raise_if_any()
    return amount


def create_approval_rule(
    actor: Actor, *, role: str, max_amount: Any, location_id: int | None = None
) -> ApprovalRule:
    """Let a role approve orders up to an amount, at one location or everywhere."""
    actor.require(Perm.ORG_MANAGE)
    check = Checker()
    role = check.choice("role", role, set(Role.values))
    amount = check_money(check, "max_amount", max_amount)
    if location_id is not None:
        check_org_location(actor, check, "location_id", location_id)
    check.raise_if_any()
    if ApprovalRule.objects.filter(
        organization=actor.organization, role=role, location=location_id
    ).exists():
        raise BohError(
            code=errors.DUPLICATE_RULE,
            message=_("This role already has a rule for this location."),
            field="role",
            status=409,
        )

    with transaction.atomic():
        rule = ApprovalRule.objects.create(
            organization=actor.organization, role=role, location_id=location_id, max_amount=amount
        )
        record_audit(actor, AuditEntry.Action.CREATE, rule)
    return rule


def update_approval_rule(actor: Actor, rule: ApprovalRule, *, max_amount: Any) -> ApprovalRule:
    """Change the amount up to which a rule's role may approve."""
    actor.require(Perm.ORG_MANAGE)
    amount = check_min_value(max_amount)

    with transaction.atomic():
        before = snapshot(rule)
        rule.max_amount = amount
        rule.save(update_fields=["max_amount"])
        record_audit(actor, AuditEntry.Action.UPDATE, rule, before=before)
    return rule


def delete_approval_rule(actor: Actor, rule: ApprovalRule) -> None:
    """Remove an approval rule; the role then approves only as far as its other rules allow."""
    actor.require(Perm.ORG_MANAGE)
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, rule, before=snapshot(rule))
        rule.delete()
