"""ingest_tickets: POS tickets in, per-ticket outcomes out, depletion posted in one go.

One call is one batch. Each ticket is checked on its own (a malformed one is refused with
its reason while the others land), then the batch is written in one transaction with a
number of queries that does not grow with the batch: tickets, versions and lines with
`executemany`, one `post_moves` call for the depletion of every ticket (and the reversal
of every amended one), the daily facts and the unmapped queue as set-based upserts, one
audit entry and one domain event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import BohError, FieldError, permission_denied
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit
from boh.inventory.ledger.checks import closed_through
from boh.inventory.services import MoveSpec, post_moves
from boh.menu.explosion import SoldLine
from boh.menu.selectors import resolve_pos_codes
from boh.org.access import Actor
from boh.org.models import Location
from boh.org.roles import Perm
from boh.sales import errors
from boh.sales.models import (
    LineState,
    Ticket,
    TicketBatch,
    TicketLine,
    TicketPayment,
    TicketVersion,
)
from boh.sales.services import refunds, rows
from boh.sales.services.checking import CheckedLine, CheckedTicket, Place, TicketChecker
from boh.sales.services.depletion import (
    SOURCE_TYPE,
    Sold,
    depletion_specs,
    explode_lines,
    reversal_specs,
)
from boh.sales.services.facts import FactDeltas
from boh.sales.services.unmapped import QueueChanges

logger = logging.getLogger(__name__)

# Documented limits of one call (docs/imports.md); larger batches are refused whole.
MAX_TICKETS = 500
MAX_LINES = 5000
EVENT_INGESTED = "sales.tickets_ingested"
WRITE_ATTEMPTS = 3

CREATED = "created"
AMENDED = "amended"
UNCHANGED = "unchanged"
REJECTED = "rejected"

_TICKETS = Ticket._meta.db_table
_VERSIONS = TicketVersion._meta.db_table
_LINES = TicketLine._meta.db_table
_PAYMENTS = TicketPayment._meta.db_table
PAYMENT_COLUMNS = ("ticket_id", "version_id", "line_no", "tender", "amount")
TICKET_COLUMNS = (
    "organization_id",
    "location_id",
    "source",
    "external_id",
    "business_date",
    "opened_at",
    "closed_at",
    "channel",
    "covers",
    "voided",
    "revision",
    "version",
    "content_hash",
    "gross_sales",
    "discounts",
    "refunds",
    "net_sales",
    "line_count",
    "waiting_lines",
    "paid",
    "refund_of_id",
    "created_at",
    "updated_at",
)
UPDATE_TICKET = (
    f"UPDATE {_TICKETS} SET location_id = %s, business_date = %s, opened_at = %s, "  # noqa: S608
    "closed_at = %s, channel = %s, covers = %s, voided = %s, revision = %s, version = %s, "
    "content_hash = %s, gross_sales = %s, discounts = %s, refunds = %s, net_sales = %s, "
    "line_count = %s, waiting_lines = %s, paid = %s, refund_of_id = %s, updated_at = %s "
    "WHERE id = %s"
)
VERSION_COLUMNS = (
    "ticket_id",
    "number",
    "batch_id",
    "location_id",
    "business_date",
    "content_hash",
    "content",
    "posted_in",
    "received_at",
)
LINE_COLUMNS = (
    "ticket_id",
    "version_id",
    "line_no",
    "pos_code",
    "name",
    "menu_item_id",
    "modifier_codes",
    "option_ids",
    "components",
    "quantity",
    "unit_price",
    "discount",
    "net_amount",
    "refund",
    "voided",
    "state",
)


@dataclass
class Outcome:
    """What became of one ticket of the batch."""

    index: int
    source: str
    external_id: str
    outcome: str
    ticket_id: int | None = None
    version: int | None = None
    errors: list[FieldError] = field(default_factory=list)
    # What was accepted but looks wrong (payments that do not add up to the ticket).
    warnings: list[FieldError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "source": self.source,
            "external_id": self.external_id,
            "outcome": self.outcome,
            "ticket_id": self.ticket_id,
            "version": self.version,
            "errors": [
                {"field": e.field, "code": e.code, "message": e.message} for e in self.errors
            ],
            "warnings": [
                {"field": e.field, "code": e.code, "message": e.message} for e in self.warnings
            ],
        }


@dataclass
class IngestResult:
    """Per-ticket outcomes, in input order, and the batch that recorded them (if any)."""

    outcomes: list[Outcome]
    batch_id: int | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {k: self.count(k) for k in (CREATED, AMENDED, UNCHANGED, REJECTED)}


@dataclass
class Existing:
    """A stored ticket, as far as an amendment needs it."""

    id: int
    content_hash: str
    revision: int | None
    version: int
    location_id: int
    business_date: dt.date
    closed_at: dt.datetime
    channel: str
    covers: int
    voided: bool
    gross_sales: Decimal
    discounts: Decimal
    refunds: Decimal
    net_sales: Decimal
    version_id: int = 0
    posted_in: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A ticket to write, with what it depletes."""

    ticket: CheckedTicket
    outcome: Outcome
    existing: Existing | None
    items: dict[int, Decimal] = field(default_factory=dict)
    ticket_id: int = 0
    version_id: int = 0
    # The ticket the refund lines take back from: stored (id) or in this batch (plan).
    refund_of_id: int | None = None
    refund_of_plan: Plan | None = None


def _places(actor: Actor) -> tuple[dict[int, Place], dict[str, Place]]:
    by_id: dict[int, Place] = {}
    by_code: dict[str, Place] = {}
    for location in Location.objects.filter(organization=actor.organization).only(
        "id", "code", "time_zone", "day_cutoff_hour"
    ):
        place = Place.of(location)
        by_id[place.id] = place
        by_code.setdefault(place.code.lower(), place)
    return by_id, by_code


def _refuse(outcome: Outcome, errs: list[FieldError]) -> None:
    outcome.outcome = REJECTED
    outcome.errors = errs


def ingest_tickets(
    actor: Actor,
    tickets: Sequence[Any],
    *,
    source: str = "",
    job_id: int | None = None,
    max_tickets: int = MAX_TICKETS,
) -> IngestResult:
    """Record a batch of POS tickets, deplete stock by recipe, and report each ticket's outcome."""
    if actor.reach(Perm.SALES_INGEST) == frozenset():
        raise permission_denied(_("Your role does not allow this action."))
    if not isinstance(tickets, Sequence) or isinstance(tickets, str | bytes):
        raise BohError(
            code=errors.INVALID_TICKET, message=_("Give a list of tickets."), field="tickets"
        )
    if not tickets:
        raise BohError(
            code=errors.NO_TICKETS, message=_("Send at least one ticket."), field="tickets"
        )
    line_total = sum(
        len(t.get("lines") or ()) if isinstance(t, dict) and isinstance(t.get("lines"), list) else 0
        for t in tickets
    )
    if len(tickets) > max_tickets or line_total > MAX_LINES:
        raise BohError(
            code=errors.BATCH_TOO_LARGE,
            message=_("Send at most %(tickets)d tickets and %(lines)d lines per call.")
            % {"tickets": max_tickets, "lines": MAX_LINES},
            field="tickets",
            status=413,
        )

    with rows.collector_paused():
        return _ingest(actor, tickets, source, job_id)


def _ingest(actor: Actor, tickets: Sequence[Any], source: str, job_id: int | None) -> IngestResult:
    now = timezone.now()
    by_id, by_code = _places(actor)
    checker = TicketChecker(by_id, by_code, now, default_source=source)
    outcomes: list[Outcome] = []
    checked: list[CheckedTicket] = []
    for index, raw in enumerate(tickets):
        result = checker.check(index, raw)
        if isinstance(result, list):
            src = raw.get("source", source) if isinstance(raw, dict) else source
            ext = raw.get("external_id", "") if isinstance(raw, dict) else ""
            outcomes.append(
                Outcome(index, str(src or "")[:40], str(ext or "")[:64], REJECTED, errors=result)
            )
            logger.warning("refused ticket %s of a batch: %s", index, result[0].code)
        else:
            outcome = Outcome(index, result.source, result.external_id, CREATED)
            outcomes.append(outcome)
            checked.append(result)

    for attempt in range(WRITE_ATTEMPTS):
        for ticket in checked:
            outcomes[ticket.index] = Outcome(
                ticket.index, ticket.source, ticket.external_id, CREATED
            )
        plans = _plan(actor, checked, outcomes, now, by_id)
        ingested = IngestResult(outcomes)
        if not plans:
            return ingested
        try:
            ingested.batch_id = _write(actor, plans, ingested, now, job_id)
            return ingested
        except IntegrityError:
            # Another batch wrote one of these tickets after they were read: plan again, so
            # that they come back unchanged or amended instead of failing the batch.
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            logger.info("ticket batch met a concurrent write; planning it again")
    raise AssertionError("unreachable")


def _plan(
    actor: Actor,
    checked: list[CheckedTicket],
    outcomes: list[Outcome],
    now: dt.datetime,
    places: dict[int, Place],
) -> list[Plan]:
    """Sort the checked tickets into new, amended, unchanged and refused; explode the rest."""
    org_id = actor.organization_id
    groups: dict[tuple[str, str], list[CheckedTicket]] = {}
    for ticket in checked:
        groups.setdefault((ticket.source, ticket.external_id), []).append(ticket)
    existing = _existing(org_id, list(groups))

    plans: list[Plan] = []
    closed = closed_through(org_id, set(places))
    for key, copies in groups.items():
        first = copies[0]
        if len({c.content_hash for c in copies}) > 1:
            for copy in copies:
                _refuse(
                    outcomes[copy.index],
                    [
                        FieldError(
                            f"tickets[{copy.index}].external_id",
                            errors.DUPLICATE_TICKET,
                            _("This ticket is in the batch twice, with different content."),
                        )
                    ],
                )
            continue
        for copy in copies[1:]:
            outcomes[copy.index].outcome = UNCHANGED
        outcome = outcomes[first.index]
        found = existing.get(key)
        if found is not None:
            outcome.ticket_id = found.id
            outcome.version = found.version
            stale = (
                first.revision is not None
                and found.revision is not None
                and first.revision < found.revision
            )
            if found.content_hash == first.content_hash or stale:
                outcome.outcome = UNCHANGED
                for copy in copies[1:]:
                    outcomes[copy.index].ticket_id = found.id
                continue
            outcome.outcome = AMENDED
        errs = _refusals(actor, first, found, closed, places, now)
        if errs:
            _refuse(outcome, errs)
            for copy in copies[1:]:
                _refuse(outcomes[copy.index], errs)
            continue
        plans.append(Plan(first, outcome, found))

    if any(p.existing is not None for p in plans):
        _load_current_versions(plans)
    _resolve(org_id, plans)
    _explode(org_id, plans)
    refunds.check_refunds(org_id, plans)
    kept = [p for p in plans if p.outcome.outcome != REJECTED]
    for plan in kept:
        ticket = plan.ticket
        if ticket.paid is not None and ticket.paid != ticket.net_sales:
            plan.outcome.warnings.append(
                FieldError(
                    f"tickets[{ticket.index}].payments",
                    errors.PAYMENTS_DO_NOT_MATCH,
                    _("The payments add up to %(paid)s, the ticket's net sales are %(net)s.")
                    % {"paid": format(ticket.paid, "f"), "net": format(ticket.net_sales, "f")},
                )
            )
    return kept


def _existing(org_id: int, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Existing]:
    found: dict[tuple[str, str], Existing] = {}
    wanted = set(keys)
    ids = sorted({external_id for _source, external_id in keys})
    for chunk in rows.chunks(ids):
        for t in Ticket.objects.filter(organization_id=org_id, external_id__in=chunk).values_list(
            "id",
            "source",
            "external_id",
            "content_hash",
            "revision",
            "version",
            "location_id",
            "business_date",
            "closed_at",
            "channel",
            "covers",
            "voided",
            "gross_sales",
            "discounts",
            "refunds",
            "net_sales",
        ):
            if (t[1], t[2]) in wanted:
                found[(t[1], t[2])] = Existing(t[0], *t[3:])
    return found


def _refusals(
    actor: Actor,
    ticket: CheckedTicket,
    found: Existing | None,
    closed: dict[int | None, dt.date],
    places: dict[int, Place],
    now: dt.datetime,
) -> list[FieldError]:
    at = f"tickets[{ticket.index}]"
    location_ids = {ticket.place.id} | ({found.location_id} if found else set())
    if not all(actor.can(Perm.SALES_INGEST, pk) for pk in location_ids):
        field_name = f"{at}.location_id"
        return [
            FieldError(field_name, "permission_denied", _("Your role does not allow this action."))
        ]
    moments = [(ticket.place, min(ticket.closed_at, now))]
    if found is not None:
        moments.append((places[found.location_id], found.closed_at))
    for place, moment in moments:
        limits = [d for d in (closed.get(None), closed.get(place.id)) if d is not None]
        if limits and moment.astimezone(place.zone).date() <= max(limits):
            return [
                FieldError(
                    f"{at}.closed_at",
                    errors.PERIOD_CLOSED,
                    _("The stock books are closed through %(date)s.")
                    % {"date": max(limits).isoformat()},
                )
            ]
    return []


def _load_current_versions(plans: list[Plan]) -> None:
    by_ticket = {p.existing.id: p.existing for p in plans if p.existing is not None}
    for chunk in rows.chunks(sorted(by_ticket)):
        for version_id, ticket_id, posted_in in TicketVersion.objects.filter(
            ticket_id__in=chunk, superseded_at__isnull=True
        ).values_list("id", "ticket_id", "posted_in"):
            by_ticket[ticket_id].version_id = version_id
            by_ticket[ticket_id].posted_in = list(posted_in or [])


def _resolve(org_id: int, plans: list[Plan]) -> None:
    """Menu items and options of every line's POS codes; unmapped codes make a line wait."""
    codes_by_source: dict[str, set[str]] = {}
    for plan in plans:
        bucket = codes_by_source.setdefault(plan.ticket.source, set())
        for line in plan.ticket.lines:
            bucket.update(code for code, _kind in line.all_codes())
    known = {
        source: resolve_pos_codes(org_id, source, codes)
        for source, codes in codes_by_source.items()
    }
    for plan in plans:
        mapping = known[plan.ticket.source]
        errs: list[FieldError] = []
        for line in plan.ticket.lines:
            if plan.ticket.voided:
                line.state = LineState.VOID
            errs.extend(
                resolve_line(line, mapping, f"tickets[{plan.ticket.index}].lines[{line.line_no}]")
            )
        if errs:
            _refuse(plan.outcome, errs)


CodeMap = dict[str, tuple[int | None, int | None]]


def resolve_line(line: CheckedLine, mapping: CodeMap, at: str) -> list[FieldError]:
    """Set the line's menu item, options and missing codes; errors for codes of the wrong kind."""
    errs: list[FieldError] = []
    missing: list[tuple[str, str]] = []
    line.menu_item_id = _item_of(line.pos_code, mapping, missing, errs, at)
    line.option_ids = (
        _options_of(line.modifier_codes, mapping, missing, errs, at) if line.modifier_codes else ()
    )
    for n, part in enumerate(line.components or ()):
        here = f"{at}.components[{n}]"
        part.menu_item_id = _item_of(part.pos_code, mapping, missing, errs, here)
        part.option_ids = _options_of(part.modifier_codes, mapping, missing, errs, here)
    line.missing = list(dict.fromkeys(missing)) if missing else missing
    if line.state != LineState.VOID:
        line.state = LineState.WAITING if missing else LineState.POSTED
    return errs


def _item_of(
    code: str, mapping: CodeMap, missing: list[tuple[str, str]], errs: list[FieldError], at: str
) -> int | None:
    target = mapping.get(code)
    if target is None:
        missing.append((code, "line"))
        return None
    if target[0] is None:
        errs.append(
            FieldError(
                f"{at}.pos_code",
                errors.WRONG_CODE_KIND,
                _("This POS code names a modifier, not a menu item."),
            )
        )
    return target[0]


def _options_of(
    codes: tuple[str, ...],
    mapping: CodeMap,
    missing: list[tuple[str, str]],
    errs: list[FieldError],
    at: str,
) -> tuple[int, ...]:
    found: list[int] = []
    for n, code in enumerate(codes):
        target = mapping.get(code)
        if target is None:
            missing.append((code, "modifier"))
        elif target[1] is None:
            errs.append(
                FieldError(
                    f"{at}.modifiers[{n}]",
                    errors.WRONG_CODE_KIND,
                    _("This POS code names a menu item, not a modifier."),
                )
            )
        else:
            found.append(target[1])
    return tuple(found)


def sold_line(line: CheckedLine) -> SoldLine:
    """The line as the menu's explosion takes it (quantity signed: refunds are negative)."""
    components = None
    if line.components is not None:
        components = tuple(
            SoldLine(part.menu_item_id or 0, part.quantity, part.option_ids)
            for part in line.components
        )
    return SoldLine(line.menu_item_id or 0, line.quantity, line.option_ids, components)


def _explode(org_id: int, plans: list[Plan]) -> None:
    sold: list[Sold] = []
    # Lines repeat across tickets: one SoldLine per (menu item, quantity, options).
    simple: dict[tuple[int | None, Decimal, tuple[int, ...]], SoldLine] = {}
    for n, plan in enumerate(plans):
        if plan.outcome.outcome == REJECTED:
            continue
        ticket = plan.ticket
        for line in ticket.lines:
            if line.state == LineState.POSTED:
                at = f"tickets[{ticket.index}].lines[{line.line_no}]"
                if line.components is None:
                    key = (line.menu_item_id, line.quantity, line.option_ids)
                    found = simple.get(key)
                    if found is None:
                        found = simple[key] = sold_line(line)
                else:
                    found = sold_line(line)
                sold.append(Sold(n, ticket.business_date, found, at))
    if not sold:
        return
    items, refused = explode_lines(org_id, sold)
    for n, plan in enumerate(plans):
        if n in refused:
            _refuse(plan.outcome, refused[n])
        else:
            plan.items = items.get(n, {})


def _write(
    actor: Actor, plans: list[Plan], result: IngestResult, now: dt.datetime, job_id: int | None
) -> int:
    org_id = actor.organization_id
    counts = result.counts
    db = rows.Db()
    now_db = db.time(now)
    facts = FactDeltas()
    queue = QueueChanges(org_id)
    with transaction.atomic():
        batch = TicketBatch.objects.create(
            organization_id=org_id,
            received_at=now,
            tickets=len(result.outcomes),
            created=counts[CREATED],
            amended=counts[AMENDED],
            unchanged=counts[UNCHANGED],
            rejected=counts[REJECTED],
            posted_by_user_id=actor.user_id,
            posted_by_api_key_id=actor.api_key_id,
            job_id=job_id,
        )
        _write_tickets(db, org_id, plans, now_db)
        old_versions = [p.existing.version_id for p in plans if p.existing is not None]
        _write_versions(db, plans, batch.pk, now_db)
        if old_versions:
            _retire(org_id, plans, old_versions, now_db, facts, queue)
        _write_lines(db, plans, facts, queue)
        _write_payments(plans, facts)
        queue.write()

        specs: list[MoveSpec] = reversal_specs(
            org_id,
            [
                (p.existing.version_id, p.existing.posted_in)
                for p in plans
                if p.existing is not None
            ],
        )
        # In business-time order, so that a batch alone never looks backdated to the ledger.
        for plan in sorted(plans, key=lambda p: p.ticket.closed_at):
            ticket = plan.ticket
            specs.extend(
                depletion_specs(
                    ticket.place.id, min(ticket.closed_at, now), plan.version_id, plan.items
                )
            )
        if specs:
            post_moves(
                actor,
                specs,
                source_type=SOURCE_TYPE,
                source_id=str(batch.pk),
                permission=Perm.SALES_INGEST,
            )
        facts.write(org_id)

        summary = {
            **counts,
            "tickets": len(result.outcomes),
            "moves": len(specs),
            "location_ids": sorted({p.ticket.place.id for p in plans}),
            "business_dates": sorted({p.ticket.business_date.isoformat() for p in plans}),
        }
        record_audit(actor, AuditEntry.Action.CREATE, batch, verb="ingested", after=summary)
        emit_event(
            EVENT_INGESTED,
            {"batch_id": batch.pk, **summary},
            organization_id=org_id,
            actor=actor,
        )
    logger.info(
        "ingested batch %s: %d created, %d amended, %d unchanged, %d rejected",
        batch.pk,
        counts[CREATED],
        counts[AMENDED],
        counts[UNCHANGED],
        counts[REJECTED],
    )
    return batch.pk


def _ticket_values(
    db: rows.Db, ticket: CheckedTicket, version: int, refund_of_id: int | None, now_db: Any
) -> tuple[Any, ...]:
    waiting = sum(1 for line in ticket.lines if line.state == LineState.WAITING)
    return (
        ticket.place.id,
        db.date(ticket.business_date),
        db.time(ticket.opened_at),
        db.time(ticket.closed_at),
        ticket.channel,
        ticket.covers,
        ticket.voided,
        ticket.revision,
        version,
        ticket.content_hash,
        ticket.gross_sales,
        ticket.discounts,
        ticket.refunds,
        ticket.net_sales,
        len(ticket.lines),
        waiting,
        ticket.paid,
        refund_of_id,
        now_db,
    )


def _write_tickets(db: rows.Db, org_id: int, plans: list[Plan], now_db: Any) -> None:
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for plan in plans:
        ticket = plan.ticket
        if plan.existing is None:
            values = _ticket_values(db, ticket, 1, plan.refund_of_id, now_db)
            new.append((org_id, values[0], ticket.source, ticket.external_id, *values[1:], now_db))
        else:
            plan.ticket_id = plan.existing.id
            values = _ticket_values(
                db, ticket, plan.existing.version + 1, plan.refund_of_id, now_db
            )
            changed.append((*values, plan.existing.id))
    rows.insert(_TICKETS, TICKET_COLUMNS, new)
    rows.execute_many(UPDATE_TICKET, changed)
    if new:
        _new_ids(org_id, plans)
    # Refunds of tickets that arrive in the same batch point to them once they have ids.
    links = [
        (p.refund_of_plan.ticket_id, p.ticket_id) for p in plans if p.refund_of_plan is not None
    ]
    rows.execute_many(f"UPDATE {_TICKETS} SET refund_of_id = %s WHERE id = %s", links)  # noqa: S608


def _new_ids(org_id: int, plans: list[Plan]) -> None:
    waiting = {(p.ticket.source, p.ticket.external_id): p for p in plans if p.existing is None}
    for chunk in rows.chunks(sorted({k[1] for k in waiting})):
        for pk, source, external_id in rows.select(
            f"SELECT id, source, external_id FROM {_TICKETS} "  # noqa: S608
            f"WHERE organization_id = %s AND external_id IN ({rows.marks(len(chunk))})",
            [org_id, *chunk],
        ):
            found = waiting.get((source, external_id))
            if found is not None:
                found.ticket_id = pk


def _write_versions(db: rows.Db, plans: list[Plan], batch_id: int, now_db: Any) -> None:
    posted = db.json([str(batch_id)])
    nothing = db.json([])
    values = []
    for plan in plans:
        ticket = plan.ticket
        number = plan.existing.version + 1 if plan.existing else 1
        plan.outcome.version = number
        values.append(
            (
                plan.ticket_id,
                number,
                batch_id,
                ticket.place.id,
                db.date(ticket.business_date),
                ticket.content_hash,
                db.json_text(ticket.content_text, ticket.content),
                posted if plan.items else nothing,
                now_db,
            )
        )
    rows.insert(_VERSIONS, VERSION_COLUMNS, values)
    by_ticket = {p.ticket_id: p for p in plans}
    for version_id, ticket_id in rows.select(
        f"SELECT id, ticket_id FROM {_VERSIONS} WHERE batch_id = %s",  # noqa: S608
        [batch_id],
    ):
        plan = by_ticket[ticket_id]
        plan.version_id = version_id
        plan.outcome.ticket_id = ticket_id


def _retire(
    org_id: int,
    plans: list[Plan],
    old_versions: list[int],
    now_db: Any,
    facts: FactDeltas,
    queue: QueueChanges,
) -> None:
    """Mark amended tickets' old versions replaced and take their figures out of the facts."""
    places = {p.ticket.place.id: p.ticket.place for p in plans}
    missing = {
        p.existing.location_id for p in plans if p.existing and p.existing.location_id not in places
    }
    if missing:
        for location in Location.objects.filter(pk__in=missing).only(
            "id", "code", "time_zone", "day_cutoff_hour"
        ):
            places[location.pk] = Place.of(location)
    for plan in plans:
        old = plan.existing
        if old is None:
            continue
        local = old.closed_at.astimezone(places[old.location_id].zone)
        facts.ticket(
            -1,
            old.location_id,
            old.business_date,
            old.channel,
            local.hour,
            voided=old.voided,
            covers=old.covers,
            gross=old.gross_sales,
            discounts=old.discounts,
            refunds=old.refunds,
            net=old.net_sales,
        )
    location_of = {p.existing.version_id: p.existing for p in plans if p.existing is not None}
    for chunk in rows.chunks(old_versions):
        for version_id, tender, amount in TicketPayment.objects.filter(
            version_id__in=chunk
        ).values_list("version_id", "tender", "amount"):
            old = location_of[version_id]
            if not old.voided:
                facts.payment(-1, old.location_id, old.business_date, tender, amount)
        rows.execute(
            f"UPDATE {_VERSIONS} SET superseded_at = %s "  # noqa: S608
            f"WHERE id IN ({rows.marks(len(chunk))})",
            [now_db, *chunk],
        )
        lines = (
            TicketLine.objects.filter(version_id__in=chunk)
            .exclude(state__in=[LineState.VOID, LineState.REPLACED])
            .values_list("id", "version_id", "menu_item_id", "quantity", "net_amount", "state")
        )
        for line_id, version_id, menu_item_id, quantity, net, state in lines:
            old = location_of[version_id]
            if state == LineState.POSTED and menu_item_id is not None:
                facts.item(-1, old.location_id, old.business_date, menu_item_id, quantity, net)
            elif state == LineState.WAITING:
                queue.release(line_id, quantity, net)
    queue.retire_lines(old_versions)


def _write_lines(db: rows.Db, plans: list[Plan], facts: FactDeltas, queue: QueueChanges) -> None:
    empty = db.json([])
    none = db.json(None)
    values: list[tuple[Any, ...]] = []
    for plan in plans:
        ticket = plan.ticket
        facts.ticket(
            1,
            ticket.place.id,
            ticket.business_date,
            ticket.channel,
            ticket.hour,
            voided=ticket.voided,
            covers=ticket.covers,
            gross=ticket.gross_sales,
            discounts=ticket.discounts,
            refunds=ticket.refunds,
            net=ticket.net_sales,
        )
        for line in ticket.lines:
            if line.state == LineState.POSTED and line.menu_item_id is not None:
                facts.item(
                    1,
                    ticket.place.id,
                    ticket.business_date,
                    line.menu_item_id,
                    line.quantity,
                    line.net_amount,
                )
            elif line.state == LineState.WAITING:
                queue.wait(plan.version_id, line, ticket.source, ticket.closed_at)
            values.append(
                (
                    plan.ticket_id,
                    plan.version_id,
                    line.line_no,
                    line.pos_code,
                    line.name,
                    line.menu_item_id,
                    db.json(list(line.modifier_codes)) if line.modifier_codes else empty,
                    db.json(list(line.option_ids)) if line.option_ids else empty,
                    db.json(_components(line)) if line.components is not None else none,
                    line.quantity,
                    line.unit_price,
                    line.discount,
                    line.net_amount,
                    line.refund,
                    line.voided,
                    line.state,
                )
            )
    rows.insert(_LINES, LINE_COLUMNS, values)


def _write_payments(plans: list[Plan], facts: FactDeltas) -> None:
    values: list[tuple[Any, ...]] = []
    for plan in plans:
        ticket = plan.ticket
        for n, (tender, amount) in enumerate(ticket.payments):
            values.append((plan.ticket_id, plan.version_id, n, tender, amount))
            if not ticket.voided:
                facts.payment(1, ticket.place.id, ticket.business_date, tender, amount)
    rows.insert(_PAYMENTS, PAYMENT_COLUMNS, values)


def _components(line: CheckedLine) -> list[dict[str, Any]]:
    return [
        {
            "pos_code": part.pos_code,
            "quantity": format(part.quantity, "f"),
            "modifiers": list(part.modifier_codes),
            "menu_item_id": part.menu_item_id,
            "option_ids": list(part.option_ids),
        }
        for part in line.components or ()
    ]
