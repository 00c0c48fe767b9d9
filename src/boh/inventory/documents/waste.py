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
from boh.core.services import emit_events, record_audit, record_audits, snapshot
from boh.core.validation import Checker
from boh.inventory.documents import errors
from boh.inventory.documents.common import (
    CleanLine,
    base_quantity,
    check_item_and_lot,
    check_lines,
    check_location,
    items_of,
    ledger_refusal,
    lot_unavailable,
    lots_of,
    packs_by_item,
)
from boh.inventory.documents.models import WasteEntry
from boh.inventory.models import Lot, MoveKind
from boh.inventory.services import MoveSpec, post_moves
from boh.org.access import Actor
from boh.org.models import Location
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


def _override_note(lot: Lot | None, reason: str) -> str:
    label = WasteEntry.Reason(reason).label
    if lot is not None:
        return _("Lot %(lot)s (%(status)s, expiry %(expiry)s) thrown away: %(reason)s.") % {
            "lot": lot.code,
            "status": lot.get_status_display(),
            "expiry": lot.expiry_date.isoformat() if lot.expiry_date else "-",
            "reason": label,
        }
    return _("Thrown away: %(reason)s.") % {"reason": label}


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

    line = CleanLine(item, lot, base, entered, unit_code)
    (entry,) = _write_waste(
        actor,
        location,
        [line],
        reason=reason,
        note=note,
        when=happened_at or timezone.now(),
        fields={0: ""},
        photo=(photo, ext) if photo is not None and ext is not None else None,
    )
    return entry


def log_waste_lines(
    actor: Actor,
    *,
    location_id: int,
    lines: list[dict[str, Any]],
    reason: str,
    note: str = "",
    happened_at: datetime | None = None,
) -> list[WasteEntry]:
    """log_waste for several items or lots thrown away together for the same reason.

    Each line holds item_id, quantity and optionally unit and lot_id; its errors name it
    (lines[2].quantity). Every line becomes a waste entry of its own, as log_waste makes
    it, and all of them leave stock in one ledger batch whose source id is the first
    entry's id (each move's source line names its entry). When any line is refused,
    nothing is written.
    """
    check = Checker()
    location = check_location(actor, check, "location_id", location_id)
    check.raise_if_any()
    assert location is not None
    actor.require(Perm.STOCK_POST, location.pk)

    reason = check.choice("reason", reason, set(WasteEntry.Reason.values))
    note = check.text("note", note, max_length=2000, required=False)
    clean = check_lines(actor, check, lines)
    if happened_at is not None and timezone.is_naive(happened_at):
        check.fail("happened_at", "naive_time", _("Give the time with its time zone."))
    check.raise_if_any()

    return _write_waste(
        actor,
        location,
        clean,
        reason=reason,
        note=note,
        when=happened_at or timezone.now(),
        fields={n: f"lines[{n}]" for n in range(len(lines))},
    )


def _write_waste(
    actor: Actor,
    location: Location,
    clean: list[CleanLine],
    *,
    reason: str,
    note: str,
    when: datetime,
    fields: dict[int, str],
    photo: tuple[UploadedFile, str] | None = None,
) -> list[WasteEntry]:
    """Waste entries for checked lines, their stock out in one ledger batch whose source id
    is the first entry's id (each move's source line names its entry), audited and
    announced; `fields` names each line in a ledger refusal, `photo` goes on the first."""
    today = timezone.localdate(when)
    overrides = [lot_unavailable(line.lot, today) for line in clean]
    with transaction.atomic():
        entries = WasteEntry.objects.bulk_create(
            [
                WasteEntry(
                    organization=actor.organization,
                    location=location,
                    item=line.item,
                    lot=line.lot,
                    quantity=line.quantity,
                    entered_quantity=line.entered_quantity,
                    entered_unit=line.entered_unit,
                    reason=reason,
                    note=note,
                    override_note=_override_note(line.lot, reason) if override else "",
                    happened_at=when,
                    created_by_user_id=actor.user_id,
                    created_by_api_key_id=actor.api_key_id,
                    created_by_name=actor.display_name[:150],
                )
                for line, override in zip(clean, overrides, strict=True)
            ]
        )
        specs = [
            MoveSpec(
                location_id=location.pk,
                item_id=entry.item_id,
                quantity=-entry.quantity,
                kind=MoveKind.WASTE,
                lot_id=entry.lot_id,
                happened_at=when,
                reason=reason,
                source_line=str(entry.pk),
                allow_unavailable_lot=override,
                override_note=_override_note(line.lot, reason),
            )
            for entry, line, override in zip(entries, clean, overrides, strict=True)
        ]
        try:
            result = post_moves(actor, specs, source_type=SOURCE, source_id=str(entries[0].pk))
        except BohError as exc:
            raise ledger_refusal(exc, fields) from None
        by_entry: dict[str, list[Any]] = {}
        for move in result.moves:
            by_entry.setdefault(move.source_line, []).append(move)
        for entry in entries:
            moves = by_entry.get(str(entry.pk), [])
            entry.value = round_value(-sum((m.value for m in moves), ZERO))
            entry.batch = result.batch
            # Without a lot the ledger notes the override only on parts taken from unusable lots.
            if any(m.override_note for m in moves):
                entry.override_note = _override_note(entry.lot, reason)
        if photo is not None:
            upload, ext = photo
            entries[0].photo.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        WasteEntry.objects.bulk_update(entries, ["value", "batch", "override_note", "photo"])
        record_audits(
            actor,
            AuditEntry.Action.CREATE,
            list(entries),
            afters=[_audited(entry) for entry in entries],
        )
        emit_events(
            "inventory.waste_logged",
            [
                {
                    "waste_id": entry.pk,
                    "location_id": location.pk,
                    "item_id": entry.item_id,
                    "quantity": entry.quantity,
                    "value": entry.value,
                    "reason": reason,
                }
                for entry in entries
            ],
            organization_id=actor.organization_id,
            actor=actor,
        )
    logger.info("waste at %s: %d entries (%s)", location.code, len(entries), reason)
    return entries


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
