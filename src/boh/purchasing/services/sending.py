"""Sending an order: its PDF by email to the supplier, with the sent copy kept."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from boh.core.errors import BohError, validation_error
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import PurchaseOrder
from boh.purchasing.pdf import render_order_pdf
from boh.purchasing.services.orders import (
    announce_order,
    locked_order,
    order_locations,
    order_snapshot,
    require_at,
)
from boh.purchasing.services.transitions import next_status

logger = logging.getLogger(__name__)


def _recipients(order: PurchaseOrder, to: list[str] | None) -> list[str]:
    if to:
        check = Checker()
        clean = []
        for i, address in enumerate(to):
            text = check.text(f"to[{i}]", address, max_length=254)
            if text and "@" not in text:
                check.fail(f"to[{i}]", "invalid_email", _("Enter a valid email address."))
            clean.append(text)
        check.raise_if_any()
        return clean
    supplier = order.supplier
    if supplier.email:
        return [supplier.email]
    primary = supplier.contacts.exclude(email="").order_by("-is_primary", "id").first()
    return [primary.email] if primary else []


def send_order(
    actor: Actor,
    order: PurchaseOrder,
    *,
    to: list[str] | None = None,
    message: str = "",
    language: str = "zh-hans",
) -> PurchaseOrder:
    """Email an approved order's PDF to the supplier and keep the copy that was sent.

    An internal supplier (a central kitchen or warehouse) gets no email: the order is
    marked sent and waits to be shipped as a transfer.
    """
    order.refresh_from_db()
    require_at(actor, Perm.PURCHASING_MANAGE, order_locations(order))
    next_status(order, "send")
    internal = order.supplier.is_internal
    recipients = [] if internal else _recipients(order, to)
    if not internal and not recipients:
        raise validation_error(
            errors.NO_EMAIL,
            _("%(supplier)s has no email address to send the order to.")
            % {"supplier": order.supplier.name},
            "to",
        )
    pdf = render_order_pdf(order, language)
    filename = f"{order.number}.pdf"

    with transaction.atomic():
        order = locked_order(order)
        before = order_snapshot(order)
        status = next_status(order, "send")
        if recipients:
            with translation.override(language):
                subject = _("Purchase order %(number)s from %(buyer)s") % {
                    "number": order.number,
                    "buyer": order.organization.name,
                }
                body = message or _(
                    "Please find attached our purchase order %(number)s. "
                    "Expected delivery: %(date)s."
                ) % {"number": order.number, "date": order.expected_date or "-"}
            email = EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=recipients,
            )
            email.attach(filename, pdf, "application/pdf")
            try:
                email.send(fail_silently=False)
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("sending %s to its supplier failed: %s", order.number, exc)
                raise BohError(
                    code=errors.EMAIL_FAILED,
                    message=_("The email could not be sent; the order stays approved."),
                    status=502,
                ) from exc
        order.sent_copy.save(filename, ContentFile(pdf), save=False)
        order.status = status
        order.sent_at = timezone.now()
        order.sent_to = ", ".join(recipients)[:300]
        order.save()
        announce_order(actor, order, before, "sent")
    logger.info("sent %s to %s", order.number, order.sent_to or "internal supplier")
    return order
