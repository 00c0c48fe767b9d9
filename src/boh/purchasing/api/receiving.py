"""Receipts (one call, or line by line from the phone), and returns to suppliers."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.purchasing import selectors, services
from boh.purchasing.models import Receipt, SupplierReturn
from boh.purchasing.schemas import (
    ReceiptDetailOut,
    ReceiptIn,
    ReceiptLineIn,
    ReceiptLineOut,
    ReceiptOut,
    ReceiptStartIn,
    ReturnIn,
    ReturnOut,
)

router = Router(tags=["purchasing: receiving"])


def _detail(receipt: Receipt) -> dict[str, Any]:
    values = {f.attname: getattr(receipt, f.attname) for f in Receipt._meta.concrete_fields}
    return {
        **values,
        "lines": list(receipt.lines.order_by("line_no")),
        "missing": selectors.still_missing(receipt),
    }


def _return(ret: SupplierReturn) -> dict[str, Any]:
    return {
        **{f.attname: getattr(ret, f.attname) for f in SupplierReturn._meta.concrete_fields},
        "credit_amount": ret.credit.amount,
    }


class ReceiptFilter(Schema):
    status: str | None = None
    order_id: ObjId | None = None
    supplier_id: ObjId | None = None
    location_id: ObjId | None = None


@router.get("/receipts", response={200: list[ReceiptOut], **ERRORS})
@paginate(Pages)
def list_receipts(request: HttpRequest, filters: Query[ReceiptFilter]) -> Any:
    """Receipts at reachable locations, newest first."""
    qs = selectors.receipts(_actor(request))
    for name in ("status", "order_id", "supplier_id", "location_id"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    return qs


@router.post("/receipts", response={201: ReceiptDetailOut, **ERRORS})
def receive_delivery(request: HttpRequest, payload: ReceiptIn) -> Any:
    """Receive a whole delivery and post it to stock: all lines or none."""
    receipt = services.receive_delivery(_actor(request), **payload.model_dump())
    return 201, _detail(receipt)


@router.post("/receipts/open", response={201: ReceiptDetailOut, **ERRORS})
def start_receipt(request: HttpRequest, payload: ReceiptStartIn) -> Any:
    """Open a receipt to fill line by line at the back door."""
    return 201, _detail(services.start_receipt(_actor(request), **payload.model_dump()))


@router.get("/receipts/{receipt_id}", response={200: ReceiptDetailOut, **ERRORS})
def get_receipt(request: HttpRequest, receipt_id: ObjId) -> Any:
    """One receipt, with what the order still expects at its location."""
    return _detail(selectors.receipt(_actor(request), receipt_id))


@router.post("/receipts/{receipt_id}/lines", response={201: ReceiptLineOut, **ERRORS})
def record_line(request: HttpRequest, receipt_id: ObjId, payload: ReceiptLineIn) -> Any:
    """Enter what came of one item; entering the same item again replaces its line."""
    actor = _actor(request)
    receipt = selectors.receipt(actor, receipt_id)
    return 201, services.record_receipt_line(actor, receipt, **payload.model_dump())


@router.post("/receipts/{receipt_id}/post", response={200: ReceiptDetailOut, **ERRORS})
def post_receipt(request: HttpRequest, receipt_id: ObjId) -> Any:
    """Post an open receipt to stock, once."""
    actor = _actor(request)
    return _detail(services.post_receipt(actor, selectors.receipt(actor, receipt_id)))


@router.get("/returns", response={200: list[ReturnOut], **ERRORS})
@paginate(Pages)
def list_returns(request: HttpRequest) -> Any:
    """Returns to suppliers from reachable locations."""
    return [_return(r) for r in selectors.returns(_actor(request)).select_related("credit")]


@router.get("/returns/{return_id}", response={200: ReturnOut, **ERRORS})
def get_return(request: HttpRequest, return_id: ObjId) -> Any:
    """One return to a supplier, with the credit it asks for."""
    return _return(selectors.supplier_return(_actor(request), return_id))


@router.post("/returns", response={201: ReturnOut, **ERRORS})
def return_to_supplier(request: HttpRequest, payload: ReturnIn) -> Any:
    """Send goods back to the supplier from stock and request the credit."""
    return 201, _return(services.return_to_supplier(_actor(request), **payload.model_dump()))
