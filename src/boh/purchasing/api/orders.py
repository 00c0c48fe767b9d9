"""Purchase orders, their lifecycle actions, the order guide and requisitions."""

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import PurchaseOrder
from boh.purchasing.pdf import render_order_pdf
from boh.purchasing.schemas import (
    ConsolidateIn,
    GuideRowOut,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    OrderPatch,
    ReasonIn,
    RequisitionIn,
    RequisitionOut,
    SendIn,
    SuggestionIn,
)

router = Router(tags=["purchasing: orders"])


def _detail(order: PurchaseOrder) -> dict[str, Any]:
    return {
        **{f.attname: getattr(order, f.attname) for f in PurchaseOrder._meta.concrete_fields},
        "lines": list(selectors.order_lines(order)),
        "actions": services.allowed_actions(order.status),
    }


class OrderFilter(Schema):
    status: str | None = None
    supplier_id: ObjId | None = None
    location_id: ObjId | None = None
    q: str | None = None


@router.get("/orders", response={200: list[OrderOut], **ERRORS})
@paginate(Pages)
def list_orders(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    """Orders delivering to locations the caller reaches, newest first."""
    qs = selectors.orders(_actor(request)).order_by("-created_at", "-id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.supplier_id is not None:
        qs = qs.filter(supplier_id=filters.supplier_id)
    if filters.location_id is not None:
        qs = qs.filter(lines__location_id=filters.location_id).distinct()
    if filters.q:
        qs = qs.filter(number__icontains=filters.q)
    return qs


@router.post("/orders", response={201: OrderDetailOut, **ERRORS})
def create_order(request: HttpRequest, payload: OrderIn) -> Any:
    """Draft an order by hand or from the order guide; lines may name their own location."""
    return 201, _detail(services.create_order(_actor(request), **payload.model_dump()))


@router.post("/orders/from-suggestion", response={201: OrderDetailOut, **ERRORS})
def create_order_from_suggestion(request: HttpRequest, payload: SuggestionIn) -> Any:
    """Order a suggested base quantity from the item's preferred supplier, in whole packs."""
    order = services.create_order_from_suggestion(_actor(request), **payload.model_dump())
    return 201, _detail(order)


@router.get("/orders/{order_id}", response={200: OrderDetailOut, **ERRORS})
def get_order(request: HttpRequest, order_id: ObjId) -> Any:
    """One order with its lines and the actions its status allows."""
    return _detail(selectors.order(_actor(request), order_id))


@router.patch("/orders/{order_id}", response={200: OrderDetailOut, **ERRORS})
def patch_order(request: HttpRequest, order_id: ObjId, payload: OrderPatch) -> Any:
    """Change a draft order's lines, expected date or note."""
    actor = _actor(request)
    order = selectors.order(actor, order_id)
    return _detail(services.update_order(actor, order, **payload.model_dump(exclude_unset=True)))


@router.post("/orders/{order_id}/submit", response={200: OrderDetailOut, **ERRORS})
def submit_order(request: HttpRequest, order_id: ObjId) -> Any:
    """Hand a draft order in for approval."""
    actor = _actor(request)
    return _detail(services.submit_order(actor, selectors.order(actor, order_id)))


@router.post("/orders/{order_id}/approve", response={200: OrderDetailOut, **ERRORS})
def approve_order(request: HttpRequest, order_id: ObjId) -> Any:
    """Approve an order within the caller's approval limit."""
    actor = _actor(request)
    return _detail(services.approve_order(actor, selectors.order(actor, order_id)))


@router.post("/orders/{order_id}/reject", response={200: OrderDetailOut, **ERRORS})
def reject_order(request: HttpRequest, order_id: ObjId, payload: ReasonIn) -> Any:
    """Send an order awaiting approval back to draft."""
    actor = _actor(request)
    order = selectors.order(actor, order_id)
    return _detail(services.reject_order(actor, order, reason=payload.reason))


@router.post("/orders/{order_id}/send", response={200: OrderDetailOut, **ERRORS})
def send_order(request: HttpRequest, order_id: ObjId, payload: SendIn) -> Any:
    """Email the approved order's PDF to the supplier and keep the sent copy."""
    actor = _actor(request)
    order = selectors.order(actor, order_id)
    return _detail(services.send_order(actor, order, **payload.model_dump()))


@router.post("/orders/{order_id}/ship", response={200: OrderDetailOut, **ERRORS})
def ship_order(request: HttpRequest, order_id: ObjId) -> Any:
    """Ship an internal order from the central kitchen or warehouse as transfers."""
    actor = _actor(request)
    return _detail(services.ship_internal_order(actor, selectors.order(actor, order_id)))


@router.post("/orders/{order_id}/cancel", response={200: OrderDetailOut, **ERRORS})
def cancel_order(request: HttpRequest, order_id: ObjId, payload: ReasonIn) -> Any:
    """Cancel an order nothing has been received on; a reason is required."""
    actor = _actor(request)
    order = selectors.order(actor, order_id)
    return _detail(services.cancel_order(actor, order, reason=payload.reason))


@router.post("/orders/{order_id}/close", response={200: OrderDetailOut, **ERRORS})
def close_order(request: HttpRequest, order_id: ObjId, payload: ReasonIn) -> Any:
    """Close a received or partly received order."""
    actor = _actor(request)
    order = selectors.order(actor, order_id)
    return _detail(services.close_order(actor, order, reason=payload.reason))


@router.get("/orders/{order_id}/pdf", response={200: None, **ERRORS})
def order_pdf(request: HttpRequest, order_id: ObjId) -> Any:
    """The order as a PDF: the copy sent to the supplier, or a preview before sending."""
    order = selectors.order(_actor(request), order_id)
    if order.sent_copy:
        return FileResponse(
            order.sent_copy.open("rb"),
            content_type="application/pdf",
            filename=f"{order.number}.pdf",
        )
    response = HttpResponse(render_order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


class GuideFilter(Schema):
    supplier_id: ObjId
    location_id: ObjId


@router.get("/order-guide", response={200: list[GuideRowOut], **ERRORS})
def order_guide(request: HttpRequest, filters: Query[GuideFilter]) -> Any:
    """Items a location orders from a supplier, with par, on hand, on order and a suggestion."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, filters.supplier_id)
    return selectors.order_guide(actor, supplier, filters.location_id)


class RequisitionFilter(Schema):
    status: str | None = None
    location_id: ObjId | None = None


@router.get("/requisitions", response={200: list[RequisitionOut], **ERRORS})
@paginate(Pages)
def list_requisitions(request: HttpRequest, filters: Query[RequisitionFilter]) -> Any:
    """Requisitions of reachable locations, newest first."""
    qs = selectors.requisitions(_actor(request)).order_by("-created_at", "-id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.location_id is not None:
        qs = qs.filter(location_id=filters.location_id)
    return qs


@router.post("/requisitions", response={201: RequisitionOut, **ERRORS})
def submit_requisition(request: HttpRequest, payload: RequisitionIn) -> Any:
    """A location asks head office for items, to be ordered centrally."""
    return 201, services.submit_requisition(_actor(request), **payload.model_dump())


@router.post("/requisitions/consolidate", response={201: list[OrderDetailOut], **ERRORS})
def consolidate(request: HttpRequest, payload: ConsolidateIn) -> Any:
    """Turn requisitions into one draft order per supplier, split per location."""
    actor = _actor(request)
    actor.require(Perm.PURCHASING_MANAGE)
    orders = services.consolidate_requisitions(actor, **payload.model_dump())
    return 201, [_detail(o) for o in orders]
