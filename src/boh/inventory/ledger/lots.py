"""Lot status (hold, release, recall, expiry) and closed periods of the stock books."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory import errors
from boh.inventory.models import Balance, ClosedPeriod, Lot, LotStatus
from boh.inventory.selectors import LotTrace, lot_traceability
from boh.org.access import Actor, system_actor
from boh.org.models import Location, Organization
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

EVENT_LOT_STATUS = "inventory.lot_status_changed"
EVENT_LOT_RECALLED = "inventory.lot_recalled"


def _require_lot_approval(actor: Actor, lot: Lot) -> None:
    """Org-wide approval, or approval at a location that holds some of the lot."""
    if actor.can(Perm.STOCK_APPROVE):
        return
    reach = actor.reach(Perm.STOCK_APPROVE) or frozenset()
    holds = Balance.objects.filter(lot=lot, location_id__in=reach, quantity__gt=0).exists()
    if not holds:
        actor.require(Perm.STOCK_APPROVE)


def _set_status(actor: Actor, lot: Lot, status: str, note: str, verb: str) -> Lot:
    check = Checker()
    note = check.text("note", note, max_length=500, required=False)
    check.raise_if_any()
    with transaction.atomic():
        locked = Lot.objects.select_for_update().get(pk=lot.pk)
        before = snapshot(locked)
        locked.status = status
        locked.status_note = note
        locked.save(update_fields=["status", "status_note"])
        record_audit(actor, AuditEntry.Action.UPDATE, locked, before=before, verb=verb)
        emit_event(
            EVENT_LOT_STATUS,
            {
                "lot_id": locked.pk,
                "item_id": locked.item_id,
                "status": status,
                "before": before["status"],
            },
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("lot %s of item %s is now %s", locked.code, locked.item_id, status)
    return locked


def _lot(actor: Actor, lot_id: int) -> Lot:
    return actor.get(Lot.objects.all(), lot_id, Perm.STOCK_VIEW)


def place_lot_on_hold(actor: Actor, lot_id: int, *, note: str = "") -> Lot:
    """Stop a lot from being used anywhere until it is released."""
    lot = _lot(actor, lot_id)
    _require_lot_approval(actor, lot)
    if lot.status == LotStatus.RECALLED:
        raise conflict(errors.LOT_STATUS, _("A recalled lot cannot be put on hold."), "lot_id")
    return _set_status(actor, lot, LotStatus.ON_HOLD, note, "held")


def release_lot(actor: Actor, lot_id: int, *, note: str = "") -> Lot:
    """Make a held lot usable again (or expired, if its date has passed)."""
    lot = _lot(actor, lot_id)
    _require_lot_approval(actor, lot)
    if lot.status != LotStatus.ON_HOLD:
        raise conflict(errors.LOT_STATUS, _("Only a lot on hold can be released."), "lot_id")
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(actor.organization.time_zone)).date()
    expired = lot.expiry_date is not None and lot.expiry_date < today
    return _set_status(
        actor, lot, LotStatus.EXPIRED if expired else LotStatus.AVAILABLE, note, "released"
    )


def recall_lot(actor: Actor, lot_id: int, *, note: str = "") -> LotTrace:
    """Mark a lot recalled everywhere and say where it is now and where it was used."""
    actor.require(Perm.STOCK_ADMIN)
    lot = _lot(actor, lot_id)
    if lot.status != LotStatus.RECALLED:
        lot = _set_status(actor, lot, LotStatus.RECALLED, note, "recalled")
        emit_event(
            EVENT_LOT_RECALLED,
            {"lot_id": lot.pk, "item_id": lot.item_id, "code": lot.code},
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.warning("lot %s of item %s recalled", lot.code, lot.item_id)
    return lot_traceability(actor, lot.pk)


def mark_expired_lots(organization: Organization, today: dt.date | None = None) -> int:
    """Mark available lots past their expiry date as expired; returns how many."""
    actor = system_actor(organization)
    if today is None:
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(organization.time_zone)).date()
    count = 0
    with transaction.atomic():
        for lot in Lot.objects.select_for_update().filter(
            organization=organization, status=LotStatus.AVAILABLE, expiry_date__lt=today
        ):
            before = snapshot(lot)
            lot.status = LotStatus.EXPIRED
            lot.save(update_fields=["status"])
            record_audit(actor, AuditEntry.Action.UPDATE, lot, before=before, verb="expired")
            count += 1
    if count:
        logger.info("marked %d lots expired in %s", count, organization.code)
    return count


def close_period(
    actor: Actor, *, closed_through: dt.date, location_id: int | None = None
) -> ClosedPeriod:
    """Close the stock books through a date, for one location or the whole organization."""
    if location_id is not None:
        location = actor.get(Location.objects.all(), location_id, Perm.STOCK_VIEW, "id")
        actor.require(Perm.STOCK_ADMIN, location.pk)
        zone = zoneinfo.ZoneInfo(location.time_zone)
    else:
        actor.require(Perm.STOCK_ADMIN)
        zone = zoneinfo.ZoneInfo(actor.organization.time_zone)
    today = timezone.now().astimezone(zone).date()
    if closed_through >= today:
        raise validation_error(
            errors.PERIOD_CLOSED, _("Only days before today can be closed."), "closed_through"
        )
    with transaction.atomic():
        period = ClosedPeriod.objects.create(
            organization=actor.organization,
            location_id=location_id,
            closed_through=closed_through,
            closed_by_user_id=actor.user_id,
        )
        record_audit(actor, AuditEntry.Action.CREATE, period)
    logger.info("closed stock books through %s (location %s)", closed_through, location_id)
    return period
