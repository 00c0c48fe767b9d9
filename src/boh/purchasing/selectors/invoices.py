"""Reads about supplier invoices, match exceptions, payables and credits."""

from __future__ import annotations

from django.db.models import QuerySet

from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing.models import CreditRequest, Invoice, MatchException, Payable


def invoices(actor: Actor) -> QuerySet[Invoice]:
    """Supplier invoices of the organization, newest first."""
    return actor.scope(Invoice.objects.select_related("supplier", "order"), Perm.PURCHASING_VIEW)


def invoice(actor: Actor, invoice_id: object) -> Invoice:
    """One invoice, or 404."""
    return actor.get(invoices(actor), invoice_id, Perm.PURCHASING_VIEW)


def match_exceptions(actor: Actor, *, status: str | None = "open") -> QuerySet[MatchException]:
    """The exceptions queue: invoice lines that did not match, oldest first."""
    qs = actor.scope(
        MatchException.objects.select_related(
            "invoice__supplier", "invoice_line__supplier_item__item"
        ),
        Perm.PURCHASING_VIEW,
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def match_exception(actor: Actor, exception_id: object) -> MatchException:
    """One exception, or 404."""
    return actor.get(match_exceptions(actor, status=None), exception_id, Perm.PURCHASING_VIEW)


def payables(actor: Actor) -> QuerySet[Payable]:
    """Money owed to suppliers, by due date."""
    return actor.scope(
        Payable.objects.select_related("supplier", "invoice"), Perm.PURCHASING_VIEW
    ).order_by("due_date", "id")


def credits(actor: Actor) -> QuerySet[CreditRequest]:
    """Credits asked of suppliers for returns and invoice overcharges."""
    return actor.scope(CreditRequest.objects.select_related("supplier"), Perm.PURCHASING_VIEW)
