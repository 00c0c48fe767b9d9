"""Mapping a POS code, and depleting the sales that waited for it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit
from boh.inventory.ledger.checks import closed_through
from boh.inventory.services import MoveSpec, post_moves
from boh.menu import services as menu_services
from boh.menu.models import PosCode
from boh.menu.selectors import resolve_pos_codes
from boh.org.access import Actor, system_actor
from boh.org.models import Location, Organization
from boh.org.roles import Perm
from boh.sales.models import (
    LineState,
    Ticket,
    TicketLine,
    TicketVersion,
    UnmappedLine,
    UnmappedSale,
)
from boh.sales.services import rows
from boh.sales.services.checking import CheckedComponent, CheckedLine, Place
from boh.sales.services.depletion import SOURCE_TYPE, Sold, depletion_specs, explode_lines
from boh.sales.services.facts import FactDeltas
from boh.sales.services.ingest import resolve_line, sold_line
from boh.sales.services.unmapped import take_out

logger = logging.getLogger(__name__)

EVENT_MAPPED = "sales.unmapped_depleted"
_LINES = TicketLine._meta.db_table
_VERSIONS = TicketVersion._meta.db_table
_TICKETS = Ticket._meta.db_table
_QUEUE = UnmappedSale._meta.db_table


@dataclass
class MappingResult:
    """What mapping a code did: the POS code made, and the waiting lines it settled."""

    pos_code_id: int | None
    depleted_lines: int
    still_waiting: int
    moves: int


def map_pos_code(
    actor: Actor,
    *,
    source: str,
    code: str,
    menu_item_id: int | None = None,
    option_id: int | None = None,
) -> MappingResult:
    """Map a POS code to a menu item or modifier option and deplete the sales waiting for it.

    Mapping a code again to the same target only depletes what still waits for it (lines
    that arrived while it was being mapped)."""
    actor.require(Perm.MENU_MANAGE)
    source = (source or "").strip().lower()
    code = (code or "").strip()
    if menu_item_id is not None and option_id is not None:
        raise validation_error(
            "one_target", _("Give either a menu item or a modifier option."), "menu_item_id"
        )
    with transaction.atomic():
        pos_code = PosCode.objects.filter(
            organization=actor.organization,
            source=source,
            code=code,
            menu_item_id=menu_item_id,
            option_id=option_id,
        ).first()
        if pos_code is None:
            pos_code = menu_services.create_pos_code(
                actor, source=source, code=code, menu_item_id=menu_item_id, option_id=option_id
            )
        result = deplete_waiting(actor, source=pos_code.source, codes=[pos_code.code])
        result.pos_code_id = pos_code.pk
        UnmappedSale.objects.filter(
            organization_id=actor.organization_id,
            source=pos_code.source,
            code=pos_code.code,
            resolved_at__isnull=False,
            pos_code_id__isnull=True,
        ).update(pos_code_id=pos_code.pk)
    logger.info(
        "mapped %s:%s; %d waiting lines depleted, %d still waiting",
        pos_code.source,
        pos_code.code,
        result.depleted_lines,
        result.still_waiting,
    )
    return result


def deplete_waiting(actor: Actor, *, source: str, codes: list[str]) -> MappingResult:
    """Deplete the waiting lines that name these codes and now have every code mapped."""
    org_id = actor.organization_id
    now = timezone.now()
    with transaction.atomic():
        queue = list(
            UnmappedSale.objects.filter(organization_id=org_id, source=source, code__in=codes)
            .select_for_update()
            .values_list("id", "code", "kind")
        )
        if not queue:
            return MappingResult(None, 0, 0, 0)
        line_ids = sorted(
            set(
                UnmappedLine.objects.filter(unmapped_id__in=[q[0] for q in queue]).values_list(
                    "line_id", flat=True
                )
            )
        )
        waiting = _load_lines(line_ids)
        mapping = resolve_pos_codes(
            org_id, source, {c for line, _t in waiting for c, _k in line.all_codes()}
        )
        places = {
            loc.pk: Place.of(loc)
            for loc in Location.objects.filter(organization_id=org_id).only(
                "id", "code", "time_zone", "day_cutoff_hour"
            )
        }
        closed = closed_through(org_id, set(places))

        ready: list[tuple[CheckedLine, _Owner]] = []
        # Lines that still wait for another code stop waiting for these ones.
        elsewhere: list[tuple[int, tuple[Decimal, Decimal]]] = []
        for line, owner in waiting:
            if resolve_line(line, mapping, "") or line.missing:
                if not any(code in codes for code, _kind in line.missing):
                    elsewhere.append((owner.line_id, (line.quantity, line.net_amount)))
                continue
            if _closed(closed, places[owner.location_id], min(owner.closed_at, now)):
                continue
            ready.append((line, owner))
        sold = [
            Sold(n, owner.business_date, sold_line(line), f"lines[{n}]")
            for n, (line, owner) in enumerate(ready)
        ]
        items, refused = explode_lines(org_id, sold) if sold else ({}, {})
        settled = [(n, line, owner) for n, (line, owner) in enumerate(ready) if n not in refused]

        source_id = f"map-{'-'.join(str(q[0]) for q in queue)}"[:64]
        per_version: dict[int, dict[int, Decimal]] = {}
        facts = FactDeltas()
        for n, line, owner in settled:
            target = per_version.setdefault(owner.version_id, {})
            for item_id, quantity in items.get(n, {}).items():
                target[item_id] = target.get(item_id, Decimal(0)) + quantity
            if line.menu_item_id is not None:
                facts.item(
                    1,
                    owner.location_id,
                    owner.business_date,
                    line.menu_item_id,
                    line.quantity,
                    line.net_amount,
                )
        owners = {owner.version_id: owner for _n, _line, owner in settled}
        specs: list[MoveSpec] = []
        for version_id, vector in per_version.items():
            owner = owners[version_id]
            specs.extend(
                depletion_specs(owner.location_id, min(owner.closed_at, now), version_id, vector)
            )
        if specs:
            post_moves(
                actor,
                specs,
                source_type=SOURCE_TYPE,
                source_id=source_id,
                permission=Perm.MENU_MANAGE,
            )
        _settle(settled, source_id if specs else None, facts, org_id)
        queue_ids = [q[0] for q in queue]
        if elsewhere:
            take_out(elsewhere, only=queue_ids)
        rows.execute(
            f"UPDATE {_QUEUE} SET resolved_at = %s WHERE lines <= 0 "  # noqa: S608
            f"AND id IN ({rows.marks(len(queue_ids))})",
            [rows.db_time(now), *queue_ids],
        )
        remaining = len(waiting) - len(settled)
        for unmapped in UnmappedSale.objects.filter(pk__in=queue_ids):
            record_audit(
                actor,
                AuditEntry.Action.UPDATE,
                unmapped,
                verb="mapped",
                after={
                    "lines": unmapped.lines,
                    "depleted_lines": len(settled),
                    "moves": len(specs),
                },
            )
        emit_event(
            EVENT_MAPPED,
            {
                "source": source,
                "codes": codes,
                "depleted_lines": len(settled),
                "still_waiting": remaining,
                "location_ids": sorted({o.location_id for o in owners.values()}),
                "business_dates": sorted({o.business_date.isoformat() for o in owners.values()}),
            },
            organization_id=org_id,
            actor=actor,
        )
    return MappingResult(None, len(settled), remaining, len(specs))


@dataclass
class _Owner:
    line_id: int
    ticket_id: int
    version_id: int
    location_id: int
    business_date: dt.date
    closed_at: dt.datetime


def _closed(closed: dict[int | None, dt.date], place: Place, moment: dt.datetime) -> bool:
    limits = [d for d in (closed.get(None), closed.get(place.id)) if d is not None]
    return bool(limits) and moment.astimezone(place.zone).date() <= max(limits)


def _load_lines(line_ids: list[int]) -> list[tuple[CheckedLine, _Owner]]:
    result: list[tuple[CheckedLine, _Owner]] = []
    for chunk in rows.chunks(line_ids):
        for line in (
            TicketLine.objects.filter(pk__in=chunk, state=LineState.WAITING)
            .select_related("ticket", "version")
            .order_by("id")
        ):
            parts = None
            if line.components is not None:
                parts = tuple(
                    CheckedComponent(
                        str(p["pos_code"]),
                        Decimal(str(p["quantity"])),
                        tuple(p.get("modifiers", ())),
                    )
                    for p in line.components
                )
            checked = CheckedLine(
                line_no=line.line_no,
                pos_code=line.pos_code,
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                net_amount=line.net_amount,
                modifier_codes=tuple(line.modifier_codes or ()),
                components=parts,
                refund=line.refund,
                voided=line.voided,
                state=LineState.POSTED,
            )
            owner = _Owner(
                line.pk,
                line.ticket_id,
                line.version_id,
                line.version.location_id,
                line.version.business_date,
                line.ticket.closed_at,
            )
            result.append((checked, owner))
    return result


def _settle(
    settled: list[tuple[int, CheckedLine, _Owner]],
    source_id: str | None,
    facts: FactDeltas,
    org_id: int,
) -> None:
    """Mark settled lines depleted, note the posting on their versions, update counts."""
    if not settled:
        return
    updates: list[tuple[Any, ...]] = []
    for _n, line, owner in settled:
        components = None
        if line.components is not None:
            components = [
                {
                    "pos_code": p.pos_code,
                    "quantity": format(p.quantity, "f"),
                    "modifiers": list(p.modifier_codes),
                    "menu_item_id": p.menu_item_id,
                    "option_ids": list(p.option_ids),
                }
                for p in line.components
            ]
        updates.append(
            (
                LineState.POSTED,
                line.menu_item_id,
                rows.db_json(list(line.option_ids)),
                rows.db_json(components),
                owner.line_id,
            )
        )
    rows.execute_many(
        f"UPDATE {_LINES} SET state = %s, menu_item_id = %s, option_ids = %s, "  # noqa: S608
        "components = %s WHERE id = %s",
        updates,
    )
    take_out([(owner.line_id, (line.quantity, line.net_amount)) for _n, line, owner in settled])

    per_ticket: dict[int, int] = {}
    for _n, _line, owner in settled:
        per_ticket[owner.ticket_id] = per_ticket.get(owner.ticket_id, 0) + 1
    rows.execute_many(
        f"UPDATE {_TICKETS} SET waiting_lines = waiting_lines - %s WHERE id = %s",  # noqa: S608
        [(n, ticket_id) for ticket_id, n in per_ticket.items()],
    )
    if source_id is not None:
        versions = sorted({owner.version_id for _n, _line, owner in settled})
        posted = dict(TicketVersion.objects.filter(pk__in=versions).values_list("id", "posted_in"))
        rows.execute_many(
            f"UPDATE {_VERSIONS} SET posted_in = %s WHERE id = %s",  # noqa: S608
            [
                (rows.db_json([*(posted[v] or []), source_id]), v)
                for v in versions
                if source_id not in (posted[v] or [])
            ],
        )
    facts.write(org_id)


def on_pos_code_mapped(name: str, payload: dict[str, Any]) -> None:
    """A POS code was mapped through the menu: deplete the sales that waited for it."""
    pos_code_id = payload.get("pos_code_id")
    if not isinstance(pos_code_id, int):
        return
    found = PosCode.objects.filter(pk=pos_code_id).select_related("organization").first()
    if found is None:
        return
    organization: Organization = found.organization
    deplete_waiting(
        system_actor(organization), source=str(payload["source"]), codes=[str(payload["code"])]
    )
