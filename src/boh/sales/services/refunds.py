"""Refund lines never take back more than was sold.

A refund line takes back a quantity of a POS code. A ticket's refund lines first take back
what the same ticket sold; beyond that, the ticket must name the ticket it refunds
(`refund_of`, an external id of the same source), and then they may take back what that
ticket sold less what it and earlier refund tickets already took back. A ticket whose
refund lines take back more is refused, naming each such line's quantity. Quantities are
compared per POS code, whatever the modifiers; voided lines and voided tickets count for
nothing.

Checking a ticket without `refund_of` needs only the ticket (boh.sales.services.checking);
checking one with it reads, in a fixed number of queries per batch, the original tickets'
current lines and those of every stored ticket that refunds them.

Limitation: an amendment that lowers what an original ticket sold is not checked against
the refunds already recorded against it; the refund tickets keep their depletion.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from boh.core.errors import FieldError
from boh.sales import errors
from boh.sales.models import Ticket, TicketLine
from boh.sales.services import rows
from boh.sales.services.checking import CheckedTicket, refund_errors

if TYPE_CHECKING:
    from boh.sales.services.ingest import Plan

ZERO = Decimal(0)
REJECTED = "rejected"
Codes = dict[str, Decimal]


def _net(sold: Codes, taken: Codes) -> Codes:
    """What a ticket sold per code, less what its own refund lines took back."""
    result = dict(sold)
    for code, quantity in taken.items():
        result[code] = result.get(code, ZERO) - quantity
    return result


def _beyond_own(ticket: CheckedTicket) -> Codes:
    """What a refund ticket takes back from the ticket it names: its refunds less its sales."""
    sold = ticket.sold_codes()
    return {
        code: quantity - sold.get(code, ZERO)
        for code, quantity in ticket.refunded_codes().items()
        if quantity > sold.get(code, ZERO)
    }


def _stored(
    org_id: int, original_ids: list[int], rewritten: set[int]
) -> tuple[dict[int, Codes], dict[int, Codes]]:
    """Net quantity sold per code by each stored original, and what stored refund tickets
    (other than those this batch rewrites) already took back from each."""
    own: dict[int, Codes] = defaultdict(dict)
    others: dict[int, dict[int, tuple[Codes, Codes]]] = defaultdict(dict)
    wanted = set(original_ids)
    for chunk in rows.chunks(original_ids):
        lines = (
            TicketLine.objects.filter(
                Q(ticket_id__in=chunk) | Q(ticket__refund_of_id__in=chunk),
                ticket__organization_id=org_id,
                ticket__voided=False,
                version__superseded_at__isnull=True,
                voided=False,
            )
            .exclude(ticket_id__in=rewritten)
            .values_list("ticket_id", "ticket__refund_of_id", "pos_code", "quantity", "refund")
        )
        for ticket_id, refund_of_id, code, quantity, refund in lines:
            if ticket_id in wanted:
                codes = own[ticket_id]
                codes[code] = codes.get(code, ZERO) + quantity
            elif refund_of_id is not None:
                sold, taken = others[refund_of_id].setdefault(ticket_id, ({}, {}))
                bucket = taken if refund else sold
                bucket[code] = bucket.get(code, ZERO) + abs(quantity)
    taken_back: dict[int, Codes] = defaultdict(dict)
    for original_id, tickets in others.items():
        total = taken_back[original_id]
        for sold, taken in tickets.values():
            for code, quantity in taken.items():
                beyond = quantity - sold.get(code, ZERO)
                if beyond > 0:
                    total[code] = total.get(code, ZERO) + beyond
    return own, taken_back


def check_refunds(org_id: int, plans: list[Plan]) -> None:
    """Refuse each ticket of the batch whose refund lines take back more than its original
    ticket has left to refund; link the others to their original."""
    refunding = [p for p in plans if p.ticket.refund_of and p.outcome.outcome != REJECTED]
    if not refunding:
        return
    in_batch = {
        (p.ticket.source, p.ticket.external_id): p for p in plans if p.outcome.outcome != REJECTED
    }
    wanted = {(p.ticket.source, p.ticket.refund_of) for p in refunding}
    stored_ids: dict[tuple[str, str], int] = {}
    for chunk in rows.chunks(sorted({external_id for _source, external_id in wanted})):
        for pk, source, external_id in Ticket.objects.filter(
            organization_id=org_id, external_id__in=chunk
        ).values_list("id", "source", "external_id"):
            if (source, external_id) in wanted:
                stored_ids[(source, external_id)] = pk
    rewritten = {p.existing.id for p in plans if p.existing is not None}
    own, taken_back = _stored(org_id, sorted(set(stored_ids.values())), rewritten)

    # What each original has left to refund, as the batch's refund tickets use it up.
    left: dict[tuple[str, str], Codes] = {}
    for plan in refunding:
        ticket = plan.ticket
        key = (ticket.source, ticket.refund_of)
        original = in_batch.get(key)
        stored_id = stored_ids.get(key)
        if original is None and stored_id is None:
            plan.outcome.outcome = REJECTED
            plan.outcome.errors = [
                FieldError(
                    f"tickets[{ticket.index}].refund_of",
                    errors.UNKNOWN_ORIGINAL,
                    _("No ticket %(ticket)s of this POS has been received.")
                    % {"ticket": ticket.refund_of},
                )
            ]
            continue
        remaining = left.get(key)
        if remaining is None:
            if original is not None:
                sold = _net(original.ticket.sold_codes(), original.ticket.refunded_codes())
            else:
                assert stored_id is not None
                sold = dict(own.get(stored_id, {}))
            if stored_id is not None:
                for code, quantity in taken_back.get(stored_id, {}).items():
                    sold[code] = sold.get(code, ZERO) - quantity
            remaining = left[key] = sold
        available = _net(ticket.sold_codes(), {})
        for code, quantity in remaining.items():
            available[code] = available.get(code, ZERO) + max(quantity, ZERO)
        refused = refund_errors(
            ticket,
            available,
            _(
                "This refund takes back more %(code)s than the refunded ticket sold, "
                "less what was refunded before."
            ),
        )
        if refused:
            plan.outcome.outcome = REJECTED
            plan.outcome.errors = refused
            continue
        for code, quantity in _beyond_own(ticket).items():
            remaining[code] = remaining.get(code, ZERO) - quantity
        if original is None:
            plan.refund_of_id = stored_id
        elif original.existing is None:
            plan.refund_of_plan = original
        else:
            plan.refund_of_id = original.existing.id
