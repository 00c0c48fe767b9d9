"""Supplier invoices: entry with totals that add up, the three-way match and its exceptions."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.numbers import COST_PLACES, ZERO, round_money
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org.access import Actor
from boh.org.roles import Perm
from boh.purchasing import errors
from boh.purchasing.models import (
    CreditRequest,
    ExceptionReason,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    MatchException,
    OrderLine,
    OrderStatus,
    Payable,
    PaymentTerms,
    PurchaseOrder,
    ReceiptLine,
    Resolution,
    Supplier,
    SupplierItem,
    TaxRate,
)
from boh.purchasing.models.invoices import TAX_RATE_PERCENT
from boh.purchasing.services.common import (
    check_date,
    check_money,
    check_qty,
    check_tax_id,
    settings_of,
)
from boh.purchasing.services.prices import add_invoice_price

logger = logging.getLogger(__name__)

DIGITAL_NUMBER = re.compile(r"^\d{20}$")  # 数电票
PAPER_NUMBER = re.compile(r"^\d{8}$")  # 发票号码, with a 10- or 12-digit 发票代码
PAPER_CODE = re.compile(r"^(\d{10}|\d{12})$")
OTHER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")
MATCHABLE = {
    OrderStatus.SENT,
    OrderStatus.PARTLY_RECEIVED,
    OrderStatus.RECEIVED,
    OrderStatus.CLOSED,
}


@dataclass
class _Line:
    supplier_item: SupplierItem | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    net_amount: Decimal
    tax_rate: str
    tax_amount: Decimal


def due_date(supplier: Supplier, invoice_date: dt.date) -> dt.date:
    """When a supplier's invoice falls due under its payment terms."""
    if supplier.payment_terms == PaymentTerms.MONTH_END:
        last = calendar.monthrange(invoice_date.year, invoice_date.month)[1]
        return invoice_date.replace(day=last) + dt.timedelta(days=supplier.payment_days)
    return invoice_date + dt.timedelta(days=supplier.payment_days)


def _check_number(check: Checker, number: Any, invoice_code: Any) -> tuple[str, str]:
    text = check.text("number", number, max_length=40)
    code = check.text("invoice_code", invoice_code, max_length=12, required=False)
    if not text or check.has("number"):
        return text, code
    if text.isdigit():
        if PAPER_NUMBER.match(text):
            if not PAPER_CODE.match(code):
                check.fail(
                    "invoice_code",
                    errors.INVALID_INVOICE_NUMBER,
                    _("A paper invoice's 8-digit number comes with its 10- or 12-digit code."),
                )
        elif not DIGITAL_NUMBER.match(text):
            check.fail(
                "number",
                errors.INVALID_INVOICE_NUMBER,
                _("A fully digital invoice (数电票) number has 20 digits; a paper one has 8."),
            )
    elif not OTHER_NUMBER.match(text):
        check.fail(
            "number",
            errors.INVALID_INVOICE_NUMBER,
            _("Use letters, digits, '/', '.', '_' and '-' only in an invoice number."),
        )
    return text, code


def _check_lines(
    actor: Actor, check: Checker, supplier: Supplier | None, lines: Any
) -> list[_Line]:
    if not isinstance(lines, list) or not lines:
        check.fail("lines", errors.EMPTY_ORDER, _("Add at least one line."))
        return []
    ids = [ln.get("supplier_item_id") for ln in lines if isinstance(ln, dict)]
    known = {
        si.pk: si
        for si in SupplierItem.objects.filter(
            organization=actor.organization, pk__in=[i for i in ids if isinstance(i, int)]
        )
    }
    result = []
    for i, raw in enumerate(lines):
        f = f"lines[{i}]"
        if not isinstance(raw, dict):
            check.fail(f, "invalid", _("Each line must be an object."))
            continue
        si = None
        if raw.get("supplier_item_id") is not None:
            si = known.get(raw["supplier_item_id"])
            if si is None:
                check.fail(f"{f}.supplier_item_id", "not_found", _("No such supplier item."))
            elif supplier is not None and si.supplier_id != supplier.pk:
                check.fail(
                    f"{f}.supplier_item_id",
                    errors.WRONG_SUPPLIER,
                    _("Not an item of this supplier."),
                )
        description = check.text(
            f"{f}.description", raw.get("description", ""), max_length=200, required=si is None
        )
        quantity = check_qty(check, f"{f}.quantity", raw.get("quantity"), positive=True)
        price = check.decimal(
            f"{f}.unit_price", raw.get("unit_price"), places=COST_PLACES, minimum=ZERO
        )
        net = check_money(check, f"{f}.net_amount", raw.get("net_amount"))
        rate = check.choice(f"{f}.tax_rate", raw.get("tax_rate"), set(TaxRate.values))
        expected_tax = ZERO
        if not check.has(f"{f}.net_amount") and rate in TAX_RATE_PERCENT:
            expected_tax = round_money(net * TAX_RATE_PERCENT[TaxRate(rate)] / 100)
        if raw.get("tax_amount") is None:
            tax = expected_tax
        else:
            tax = check_money(check, f"{f}.tax_amount", raw["tax_amount"])
            if not check.errors and tax != expected_tax:
                check.fail(
                    f"{f}.tax_amount",
                    errors.TAX_MISMATCH,
                    _("%(rate)s%% of %(net)s is %(tax)s, not %(given)s.")
                    % {"rate": rate, "net": net, "tax": expected_tax, "given": tax},
                )
        if not check.errors and abs(net - quantity * price) > Decimal("0.01"):
            check.fail(
                f"{f}.net_amount",
                errors.NET_MISMATCH,
                _("%(qty)s x %(price)s is %(amount)s, not %(net)s.")
                % {
                    "qty": quantity.normalize(),
                    "price": price.normalize(),
                    "amount": round_money(quantity * price),
                    "net": net,
                },
            )
        result.append(_Line(si, description, quantity, price, net, rate, tax))
    return result


def _check_totals(
    check: Checker, lines: list[_Line], net: Decimal, tax: Decimal, gross: Decimal
) -> None:
    line_net = sum((ln.net_amount for ln in lines), ZERO)
    line_tax = sum((ln.tax_amount for ln in lines), ZERO)
    if line_net != net:
        check.fail(
            "net_total",
            errors.TOTALS_MISMATCH,
            _("The lines' net amounts add up to %(sum)s, not %(total)s.")
            % {"sum": line_net, "total": net},
        )
    if line_tax != tax:
        check.fail(
            "tax_total",
            errors.TOTALS_MISMATCH,
            _("The lines' tax adds up to %(sum)s, not %(total)s.")
            % {"sum": line_tax, "total": tax},
        )
    if net + tax != gross:
        check.fail(
            "gross_total",
            errors.TOTALS_MISMATCH,
            _("Net %(net)s plus tax %(tax)s is %(sum)s, not %(total)s.")
            % {"net": net, "tax": tax, "sum": net + tax, "total": gross},
        )


def enter_invoice(
    actor: Actor,
    *,
    supplier_id: int,
    number: str,
    kind: str,
    invoice_date: dt.date | str,
    supplier_tax_id: str,
    buyer_tax_id: str,
    net_total: Any,
    tax_total: Any,
    gross_total: Any,
    lines: list[dict[str, Any]],
    invoice_code: str = "",
    order_id: int | None = None,
) -> Invoice:
    """Enter a supplier's VAT invoice and match it against orders and receipts at once."""
    actor.require(Perm.INVOICES_MANAGE)
    check = Checker()
    supplier = Supplier.objects.filter(organization=actor.organization, pk=supplier_id).first()
    if supplier is None:
        check.fail("supplier_id", "not_found", _("No such supplier."))
    number, invoice_code = _check_number(check, number, invoice_code)
    kind = check.choice("kind", kind, set(InvoiceKind.values))
    day = check_date(check, "invoice_date", invoice_date)
    seller = check_tax_id(check, "supplier_tax_id", supplier_tax_id, required=True)
    buyer = check_tax_id(check, "buyer_tax_id", buyer_tax_id, required=True)
    if supplier is not None and supplier.tax_id and seller and seller != supplier.tax_id:
        check.fail(
            "supplier_tax_id",
            errors.INVALID_TAX_ID,
            _("The seller's tax id on the invoice is not %(supplier)s's (%(tax_id)s).")
            % {"supplier": supplier.name, "tax_id": supplier.tax_id},
        )
    net = check_money(check, "net_total", net_total)
    tax = check_money(check, "tax_total", tax_total)
    gross = check_money(check, "gross_total", gross_total)
    order = None
    if order_id is not None:
        order = PurchaseOrder.objects.filter(
            organization=actor.organization, pk=order_id, supplier_id=supplier_id
        ).first()
        if order is None:
            check.fail("order_id", "not_found", _("No such order of this supplier."))
    clean = _check_lines(actor, check, supplier, lines)
    if not check.errors:
        _check_totals(check, clean, net, tax, gross)
    check.raise_if_any()
    assert supplier is not None and day is not None
    duplicate = conflict(
        errors.DUPLICATE_INVOICE,
        _("Invoice %(number)s of %(supplier)s has already been entered.")
        % {"number": number, "supplier": supplier.name},
        "number",
    )
    if Invoice.objects.filter(
        organization=actor.organization, supplier=supplier, number=number
    ).exists():
        raise duplicate

    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                organization=actor.organization,
                supplier=supplier,
                order=order,
                number=number,
                invoice_code=invoice_code,
                kind=kind,
                invoice_date=day,
                supplier_tax_id=seller,
                buyer_tax_id=buyer,
                currency=supplier.currency,
                net_total=net,
                tax_total=tax,
                gross_total=gross,
                created_by=actor.user,
            )
            InvoiceLine.objects.bulk_create(
                [
                    InvoiceLine(
                        invoice=invoice,
                        line_no=n,
                        supplier_item=ln.supplier_item,
                        description=ln.description,
                        quantity=ln.quantity,
                        unit_price=ln.unit_price,
                        net_amount=ln.net_amount,
                        tax_rate=ln.tax_rate,
                        tax_amount=ln.tax_amount,
                    )
                    for n, ln in enumerate(clean, start=1)
                ]
            )
            record_audit(actor, AuditEntry.Action.CREATE, invoice)
            emit_event(
                "purchasing.invoice_entered",
                {"invoice_id": invoice.pk, "supplier_id": supplier.pk, "gross_total": gross},
                organization_id=actor.organization_id,
                actor=actor,
            )
            _match(actor, invoice)
    except IntegrityError:
        raise duplicate from None
    logger.info(
        "entered invoice %s of %s: %s (%s)", invoice.number, supplier.code, gross, invoice.status
    )
    return invoice


def _candidates(invoice: Invoice) -> dict[int, list[OrderLine]]:
    """Order lines an invoice may bill, by the supplier item ordered or delivered instead."""
    lines = OrderLine.objects.filter(
        order__organization_id=invoice.organization_id,
        order__supplier_id=invoice.supplier_id,
        order__status__in=MATCHABLE,
    ).order_by("order__created_at", "line_no")
    if invoice.order_id is not None:
        lines = lines.filter(order_id=invoice.order_id)
    result: dict[int, list[OrderLine]] = defaultdict(list)
    by_pk = {}
    for ol in lines:
        result[ol.supplier_item_id].append(ol)
        by_pk[ol.pk] = ol
    substitutes = ReceiptLine.objects.filter(
        order_line_id__in=list(by_pk), is_substitute=True, receipt__status="posted"
    ).values_list("supplier_item_id", "order_line_id")
    for si_id, ol_id in substitutes:
        if by_pk[ol_id] not in result[si_id]:
            result[si_id].append(by_pk[ol_id])
    return result


def _received(order_lines: list[OrderLine], supplier_item_id: int) -> Decimal:
    total = ReceiptLine.objects.filter(
        order_line__in=order_lines, supplier_item_id=supplier_item_id, receipt__status="posted"
    ).aggregate(d=Sum("delivered_quantity"), r=Sum("rejected_quantity"))
    return (total["d"] or ZERO) - (total["r"] or ZERO)


def _invoiced_before(
    invoice: Invoice, order_lines: list[OrderLine], supplier_item_id: int
) -> Decimal:
    total = (
        InvoiceLine.objects.filter(order_line__in=order_lines, supplier_item_id=supplier_item_id)
        .exclude(invoice=invoice)
        .exclude(invoice__status=Invoice.Status.REJECTED)
        .aggregate(q=Sum("quantity"))["q"]
    )
    return total or ZERO


def _match(actor: Actor, invoice: Invoice) -> None:
    """Compare each invoice line with what was ordered and received; record the exceptions."""
    limits = settings_of(invoice.organization)
    candidates = _candidates(invoice)
    found: list[MatchException] = []
    expected_net = ZERO

    def exception(
        line: InvoiceLine | None, reason: str, expected: Decimal, actual: Decimal, amount: Decimal
    ) -> None:
        found.append(
            MatchException(
                organization_id=invoice.organization_id,
                invoice=invoice,
                invoice_line=line,
                reason=reason,
                expected=expected,
                actual=actual,
                amount=round_money(amount),
            )
        )

    for line in invoice.lines.order_by("line_no"):
        order_lines = candidates.get(line.supplier_item_id or 0, [])
        if not order_lines:
            exception(
                line, ExceptionReason.ITEM_NEVER_ORDERED, ZERO, line.quantity, line.net_amount
            )
            continue
        line.order_line = order_lines[0]
        line.save(update_fields=["order_line"])
        si_id = line.supplier_item_id
        assert si_id is not None
        available = _received(order_lines, si_id) - _invoiced_before(invoice, order_lines, si_id)
        order_price = order_lines[0].unit_price
        if line.quantity > available + limits.match_qty_tolerance:
            exception(
                line,
                ExceptionReason.BILLED_MORE_THAN_RECEIVED,
                available,
                line.quantity,
                (line.quantity - available) * line.unit_price,
            )
        if line.unit_price > order_price * (1 + limits.match_price_tolerance_pct / 100):
            exception(
                line,
                ExceptionReason.PRICE_ABOVE_ORDER,
                order_price,
                line.unit_price,
                (line.unit_price - order_price) * min(line.quantity, max(available, ZERO)),
            )
        expected_net += round_money(min(line.quantity, max(available, ZERO)) * order_price)
    if not found and invoice.net_total - expected_net > limits.match_amount_tolerance:
        exception(
            None,
            ExceptionReason.TOTAL_ABOVE_EXPECTED,
            expected_net,
            invoice.net_total,
            invoice.net_total - expected_net,
        )
    MatchException.objects.bulk_create(found)
    if found:
        invoice.status = Invoice.Status.EXCEPTION
        invoice.save(update_fields=["status"])
        emit_event(
            "purchasing.invoice_exceptions",
            {"invoice_id": invoice.pk, "reasons": sorted({e.reason for e in found})},
            organization_id=invoice.organization_id,
            actor=actor,
        )
    else:
        _mark_matched(actor, invoice)


def _mark_matched(actor: Actor, invoice: Invoice) -> None:
    credits = (
        CreditRequest.objects.filter(match_exception__invoice=invoice).aggregate(s=Sum("amount"))[
            "s"
        ]
        or ZERO
    )
    before = snapshot(invoice)
    invoice.status = Invoice.Status.MATCHED
    invoice.matched_at = timezone.now()
    invoice.save(update_fields=["status", "matched_at"])
    payable = Payable.objects.create(
        organization_id=invoice.organization_id,
        invoice=invoice,
        supplier_id=invoice.supplier_id,
        amount=invoice.gross_total - credits,
        due_date=due_date(invoice.supplier, invoice.invoice_date),
    )
    record_audit(actor, AuditEntry.Action.ACTION, invoice, before=before, verb="matched")
    record_audit(actor, AuditEntry.Action.CREATE, payable)
    emit_event(
        "purchasing.invoice_matched",
        {
            "invoice_id": invoice.pk,
            "payable_id": payable.pk,
            "amount": payable.amount,
            "due_date": payable.due_date,
        },
        organization_id=invoice.organization_id,
        actor=actor,
    )


def resolve_exception(
    actor: Actor,
    exc: MatchException,
    *,
    resolution: str,
    note: str = "",
    credit_note_number: str = "",
    credit_amount: Any = None,
) -> MatchException:
    """Settle an exception by a credit note, an approved price change, or rejecting the invoice.

    When the last open exception of an invoice is settled (and it was not rejected), the
    invoice is matched and becomes payable, less the credits.
    """
    actor.require(Perm.INVOICES_MANAGE)
    check = Checker()
    resolution = check.choice("resolution", resolution, set(Resolution.values))
    note = check.text("note", note, max_length=200, required=False)
    reference = check.text("credit_note_number", credit_note_number, max_length=40, required=False)
    amount = None
    if resolution == Resolution.CREDIT_NOTE and credit_amount is not None:
        amount = check_money(check, "credit_amount", credit_amount, positive=True)
    check.raise_if_any()
    if resolution == Resolution.PRICE_CHANGE:
        if exc.reason != ExceptionReason.PRICE_ABOVE_ORDER:
            raise validation_error(
                errors.RESOLUTION_NOT_ALLOWED,
                _("Only a price above the order can be settled by a price change."),
                "resolution",
            )
        actor.require(Perm.PURCHASING_MANAGE)

    with transaction.atomic():
        exc = (
            MatchException.objects.select_for_update()
            .select_related("invoice__supplier")
            .get(pk=exc.pk)
        )
        if exc.status != MatchException.Status.OPEN:
            raise conflict(
                errors.EXCEPTION_RESOLVED, _("This exception is already resolved."), "status"
            )
        invoice = Invoice.objects.select_for_update().get(pk=exc.invoice_id)
        before = snapshot(exc)
        exc.status = MatchException.Status.RESOLVED
        exc.resolution = resolution
        exc.resolved_by = actor.user
        exc.resolved_at = timezone.now()
        exc.note = note
        exc.save()
        record_audit(actor, AuditEntry.Action.ACTION, exc, before=before, verb=resolution)
        if resolution == Resolution.CREDIT_NOTE:
            rate = ZERO
            if exc.invoice_line is not None:
                rate = TAX_RATE_PERCENT[TaxRate(exc.invoice_line.tax_rate)]
            credit = CreditRequest.objects.create(
                organization_id=exc.organization_id,
                supplier_id=invoice.supplier_id,
                match_exception=exc,
                amount=amount if amount is not None else round_money(exc.amount * (1 + rate / 100)),
                status=CreditRequest.Status.CREDITED,
                reference=reference,
            )
            record_audit(actor, AuditEntry.Action.CREATE, credit)
        elif resolution == Resolution.PRICE_CHANGE:
            line = exc.invoice_line
            assert line is not None and line.supplier_item is not None
            add_invoice_price(
                actor,
                line.supplier_item,
                line.unit_price,
                invoice.invoice_date,
                _("Approved on invoice %(number)s") % {"number": invoice.number},
            )
        if resolution == Resolution.REJECTED:
            others = invoice.exceptions.filter(status=MatchException.Status.OPEN)
            others.update(
                status=MatchException.Status.RESOLVED,
                resolution=Resolution.REJECTED,
                resolved_by=actor.user,
                resolved_at=timezone.now(),
            )
            invoice_before = snapshot(invoice)
            invoice.status = Invoice.Status.REJECTED
            invoice.save(update_fields=["status"])
            record_audit(
                actor, AuditEntry.Action.ACTION, invoice, before=invoice_before, verb="rejected"
            )
        elif not invoice.exceptions.filter(status=MatchException.Status.OPEN).exists():
            _mark_matched(actor, invoice)
        emit_event(
            "purchasing.match_exception_resolved",
            {"exception_id": exc.pk, "invoice_id": invoice.pk, "resolution": resolution},
            organization_id=exc.organization_id,
            actor=actor,
        )
    return exc
