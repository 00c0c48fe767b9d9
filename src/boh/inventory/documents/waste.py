"""Writes of the waste log: stock thrown away, with its reason, who and an optional photo."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.models import AuditEntry
from boh.core.numbers import ZERO, round_value
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.inventory.documents import errors
from boh.inventory.documents.common import (
    base_quantity,
    check_item_and_lot,
    check_location,
    items_of,
    ledger_refusal,
    lot_unavailable,
    lots_of,
    packs_by_item,
)
from boh.inventory.documents.models import WasteEntry
from boh.inventory.models import MoveKind
from boh.inventory.services import MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.roles import Perm

logger = logging.getLogger(__name__)

SOURCE = "waste"
MAX_PHOTO_BYTES = 8 * 1024 * 1024
# Leading bytes of the picture formats a phone camera produces.
_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("jpg", b"\xff\xd8\xff", 0),
    ("png", b"\x89PNG\r\n\x1a\n", 0),
    ("webp", b"WEBP", 8),
    ("heic", b"ftypheic", 4),
    ("heic", b"ftypheix", 4),
    ("heic", b"ftypmif1", 4),
)


def _photo_kind(photo: UploadedFile) -> str | None:
    photo.seek(0)
    head = photo.read(16)
    photo.seek(0)
    for ext, magic, offset in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if ext == "webp" and head[:4] != b"RIFF":
                continue
            return ext
    return None


def check_photo(check: Checker, photo: UploadedFile | None, field: str = "photo") -> str | None:
    """The file extension of an acceptable photo (JPEG, PNG, WebP, HEIC up to 8 MB)."""
    if photo is None:
        return None
    if photo.size is None or photo.size > MAX_PHOTO_BYTES:
        check.fail(
            field,
            errors.PHOTO_TOO_LARGE,
            _("The photo is larger than %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
        )
        return None
    ext = _photo_kind(photo)
    if ext is None:
        check.fail(field, errors.PHOTO_TYPE, _("Send a JPEG, PNG, WebP or HEIC picture."))
    return ext


def _audited(entry: WasteEntry) -> dict[str, Any]:
    values = snapshot(
        entry, [f.name for f in WasteEntry._meta.concrete_fields if f.name != "photo"]
    )
    values["photo"] = entry.photo.name or ""
    return values


def log_waste(
    actor: Actor,
    *,
    location_id: int,
    item_id: int,
    quantity: Any,
    reason: str,
    unit: str = "",
    lot_id: int | None = None,
    note: str = "",
    happened_at: datetime | None = None,
    photo: UploadedFile | None = None,
) -> WasteEntry:
    """Record stock thrown away and take it out of stock (earliest expiry first without a lot).

    A lot that is expired or on hold may be wasted: that is what becomes of it. Such a
    lot is issued with allow_unavailable_lot and a note saying so, kept on the entry and
    on the moves that took stock from an unusable lot.
    """
    check = Checker()
    location = check_location(actor, check, "location_id", location_id)
    check.raise_if_any()
    assert location is not None
    actor.require(Perm.STOCK_POST, location.pk)

    reason = check.choice("reason", reason, set(WasteEntry.Reason.values))
    note = check.text("note", note, max_length=2000, required=False)
    items = items_of(actor, [item_id])
    lots = lots_of(actor, [lot_id])
    item, lot = check_item_and_lot(check, "", item_id, lot_id, items, lots)
    base = entered = ZERO
    unit_code = ""
    if item is not None:
        base, entered, unit_code = base_quantity(
            check, "", item, quantity, unit, packs_by_item([item.pk]).get(item.pk, {})
        )
    if happened_at is not None and timezone.is_naive(happened_at):
        check.fail("happened_at", "naive_time", _("Give the time with its time zone."))
    ext = check_photo(check, photo)
    check.raise_if_any()
    assert item is not None

    when = happened_at or timezone.now()
    override = lot_unavailable(lot, timezone.localdate(when))
    label = WasteEntry.Reason(reason).label
    if lot is not None:
        override_note = _(
            "Lot %(lot)s (%(status)s, expiry %(expiry)s) thrown away: %(reason)s."
        ) % {
            "lot": lot.code,
            "status": lot.get_status_display(),
            "expiry": lot.expiry_date.isoformat() if lot.expiry_date else "-",
            "reason": label,
        }
    else:
        override_note = _("Thrown away: %(reason)s.") % {"reason": label}

    with transaction.atomic():
        entry = WasteEntry(
            organization=actor.organization,
            location=location,
            item=item,
            lot=lot,
            quantity=base,
            entered_quantity=entered,
            entered_unit=unit_code,
            reason=reason,
            note=note,
            override_note=override_note if override else "",
            happened_at=when,
            created_by_user_id=actor.user_id,
            created_by_api_key_id=actor.api_key_id,
            created_by_name=actor.display_name[:150],
        )
        entry.save()
        spec = MoveSpec(
            location_id=location.pk,
            item_id=item.pk,
            quantity=-base,
            kind=MoveKind.WASTE,
            lot_id=lot.pk if lot else None,
            happened_at=when,
            reason=reason,
            source_line=str(entry.pk),
            allow_unavailable_lot=override,
            override_note=override_note,
        )
        try:
            result = post_moves(actor, [spec], source_type=SOURCE, source_id=str(entry.pk))
        except BohError as exc:
            raise ledger_refusal(exc, {0: ""}) from None
        entry.value = round_value(-sum((m.value for m in result.moves), ZERO))
        entry.batch = result.batch
        # Without a lot the ledger notes the override only on parts taken from unusable lots.
        if any(m.override_note for m in result.moves):
            entry.override_note = override_note
        if photo is not None and ext is not None:
            entry.photo.save(f"{uuid.uuid4().hex}.{ext}", photo, save=False)
        entry.save(update_fields=["value", "batch", "photo", "override_note"])
        record_audit(actor, AuditEntry.Action.CREATE, entry, after=_audited(entry))
        emit_event(
            "inventory.waste_logged",
            {
                "waste_id": entry.pk,
                "location_id": location.pk,
                "item_id": item.pk,
                "quantity": base,
                "value": entry.value,
                "reason": reason,
            },
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info(
        "waste %s at %s: %s of item %s (%s)", entry.pk, location.code, base, item.pk, reason
    )
    return entry


def attach_waste_photo(actor: Actor, entry: WasteEntry, photo: UploadedFile) -> WasteEntry:
    """Add or replace the photo of a waste entry."""
    actor.require(Perm.STOCK_POST, entry.location_id)
    check = Checker()
    ext = check_photo(check, photo)
    check.raise_if_any()
    assert ext is not None

    with transaction.atomic():
        old = entry.photo.name or ""
        before = {"photo": old}
        entry.photo.save(f"{uuid.uuid4().hex}.{ext}", photo, save=False)
        entry.save(update_fields=["photo"])
        record_audit(
            actor,
            AuditEntry.Action.UPDATE,
            entry,
            before=before,
            after={"photo": entry.photo.name},
            verb="photo",
        )
        if old:
            storage, name = entry.photo.storage, old
            transaction.on_commit(lambda: storage.delete(name))
    return entry
