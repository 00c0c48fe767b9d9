"""Writes of the platform: audit entries, domain events and the idempotency records."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from boh.core import events
from boh.core.logging import request_id_var
from boh.core.models import AuditEntry, DomainEvent, IdempotencyRecord

logger = logging.getLogger(__name__)


class AuditActor(Protocol):
    """What the audit trail needs to know about whoever made a change."""

    @property
    def organization_id(self) -> int | None: ...
    @property
    def user_id(self) -> int | None: ...
    @property
    def api_key_id(self) -> int | None: ...
    @property
    def display_name(self) -> str: ...
    @property
    def ip(self) -> str | None: ...


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The audited values of a row: concrete fields, foreign keys as ids."""
    result: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"password", "key_hash"}:
            continue
        result[f.attname] = _plain(getattr(obj, f.attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def _audit_entry(
    actor: AuditActor | None,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    verb: str = "",
    organization_id: int | None = None,
) -> AuditEntry:
    if action == AuditEntry.Action.CREATE:
        changes = diff({}, after if after is not None else snapshot(obj))
    elif action == AuditEntry.Action.DELETE:
        changes = diff(before or {}, {})
    else:
        changes = diff(before or {}, after if after is not None else snapshot(obj))
    org_id = organization_id
    if org_id is None:
        org_id = getattr(obj, "organization_id", None)
    if org_id is None and actor is not None:
        org_id = actor.organization_id
    return AuditEntry(
        organization_id=org_id,
        actor_user_id=actor.user_id if actor else None,
        actor_api_key_id=actor.api_key_id if actor else None,
        actor_name=(actor.display_name if actor else "system")[:150],
        ip=actor.ip if actor else None,
        request_id=request_id_var.get()[:64],
        action=action,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def record_audit(
    actor: AuditActor | None,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    verb: str = "",
    organization_id: int | None = None,
) -> AuditEntry:
    """Append one audit entry for a change of obj; call inside the writing transaction."""
    entry = _audit_entry(
        actor,
        action,
        obj,
        before=before,
        after=after,
        verb=verb,
        organization_id=organization_id,
    )
    entry.save(force_insert=True)
    return entry


def record_audits(
    actor: AuditActor | None,
    action: str,
    objs: Sequence[models.Model],
    *,
    befores: Sequence[dict[str, Any]] | None = None,
    afters: Sequence[dict[str, Any]] | None = None,
    verb: str = "",
    organization_id: int | None = None,
) -> list[AuditEntry]:
    """One audit entry per object of a bulk write (as record_audit gives each), in one insert.

    befores and afters, when given, hold the audited values of each object before and
    after the change, in the order of objs.
    """
    nothing: Sequence[dict[str, Any] | None] = [None] * len(objs)
    return AuditEntry.objects.bulk_create(
        [
            _audit_entry(
                actor,
                action,
                obj,
                before=before,
                after=after,
                verb=verb,
                organization_id=organization_id,
            )
            for obj, before, after in zip(
                objs,
                befores if befores is not None else nothing,
                afters if afters is not None else nothing,
                strict=True,
            )
        ]
    )


def emit_event(
    name: str, payload: dict[str, Any], *, organization_id: int | None, actor: AuditActor | None
) -> DomainEvent:
    """Record a domain event and hand it to subscribers once the transaction commits."""
    plain = _plain(payload)
    event = DomainEvent.objects.create(
        organization_id=organization_id,
        name=name,
        payload=plain,
        actor_user_id=actor.user_id if actor else None,
    )
    transaction.on_commit(partial(events.dispatch, name, {**plain, "event_id": event.pk}))
    return event


def emit_events(
    name: str,
    payloads: list[dict[str, Any]],
    *,
    organization_id: int | None,
    actor: AuditActor | None,
) -> list[DomainEvent]:
    """emit_event for each payload of a bulk write, recorded in one insert."""
    plain = [_plain(payload) for payload in payloads]
    created = DomainEvent.objects.bulk_create(
        DomainEvent(
            organization_id=organization_id,
            name=name,
            payload=payload,
            actor_user_id=actor.user_id if actor else None,
        )
        for payload in plain
    )
    for event, payload in zip(created, plain, strict=True):
        transaction.on_commit(partial(events.dispatch, name, {**payload, "event_id": event.pk}))
    return created


def purge_idempotency_records(*, now: dt.datetime | None = None) -> int:
    """Delete kept API responses older than IDEMPOTENCY_TTL_HOURS; returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("purged %d idempotency records older than %s", deleted, cutoff.isoformat())
    return deleted
