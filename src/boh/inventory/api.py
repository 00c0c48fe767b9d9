"""HTTP operations of the inventory module: parse, call a service or selector, return.

This file holds the stock ledger's operations; inventory documents add theirs to the
same router from boh.inventory.documents.api.
"""

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from boh.catalog.models import Item, Pack
from boh.catalog.units import pack_map, unit_factor
from boh.core.errors import BohError, FieldError
from boh.core.numbers import round_cost, round_qty
from boh.core.schemas import ERRORS, ObjId, Pages, QuerySchema
from boh.inventory import selectors, services
from boh.inventory.ledger.schemas import (
    ExpiryAlertsOut,
    LotDetailOut,
    LotOut,
    LotStatusIn,
    MoveIn,
    MoveOut,
    OnHandOut,
    PostIn,
    PostOut,
    ReverseIn,
)
from boh.inventory.models import Lot, StockMove
from boh.org.access import Actor, request_actor
from boh.org.roles import Perm

router = Router(tags=["inventory"])


def _actor(request: HttpRequest) -> Actor:
    return request_actor(request)


class OnHandFilter(QuerySchema):
    location_id: ObjId
    item_id: ObjId | None = None
    as_of: datetime | None = None


@router.get("/on-hand", response={200: list[OnHandOut], **ERRORS})
@paginate(Pages)
def list_on_hand(request: HttpRequest, filters: Query[OnHandFilter]) -> Any:
    """Stock on hand per item at a location, now or as of a past time."""
    return selectors.stock_on_hand(
        _actor(request),
        filters.location_id,
        item_ids=[filters.item_id] if filters.item_id else None,
        as_of=filters.as_of,
    )


class MoveQuery(QuerySchema):
    location_id: ObjId | None = None
    item_id: ObjId | None = None
    lot_id: ObjId | None = None
    kind: str | None = None
    source_type: str | None = None
    source_id: str | None = None
    from_: datetime | None = Field(None, alias="from", description="Business time from (incl.)")
    to: datetime | None = Field(None, description="Business time before (excl.)")


@router.get("/moves", response={200: list[MoveOut], **ERRORS})
@paginate(Pages)
def list_moves(request: HttpRequest, filters: Query[MoveQuery]) -> Any:
    """Stock moves, newest business time first; filter by location, item, kind, source, time."""
    qs = selectors.stock_moves(_actor(request))
    for name in ("location_id", "item_id", "lot_id", "kind", "source_type", "source_id"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    if filters.from_ is not None:
        qs = qs.filter(happened_at__gte=filters.from_)
    if filters.to is not None:
        qs = qs.filter(happened_at__lt=filters.to)
    return qs


def _specs(actor: Actor, moves: list[MoveIn]) -> list[services.MoveSpec]:
    """MoveSpecs in base units, converting each move's unit (and its unit cost)."""
    with_units = {m.item_id for m in moves if m.unit}
    items = {
        item.pk: item
        for item in Item.objects.filter(organization=actor.organization, pk__in=with_units)
        .only("id", "name", "base_unit")
        .prefetch_related(Prefetch("packs", queryset=Pack.objects.filter(is_active=True)))
    }
    errors: list[FieldError] = []
    specs = []
    for i, m in enumerate(moves):
        quantity, unit_cost = m.quantity, m.unit_cost
        item = items.get(m.item_id)
        if m.unit and item is not None:
            try:
                factor = unit_factor(
                    item, m.unit, pack_map(item, item.packs.all()), f"moves[{i}].unit"
                )
            except BohError as exc:
                errors.extend(exc.fields)
                continue
            quantity = round_qty(quantity * factor)
            if unit_cost is not None:
                unit_cost = round_cost(unit_cost / factor)
        specs.append(
            services.MoveSpec(
                location_id=m.location_id,
                item_id=m.item_id,
                quantity=quantity,
                kind=m.kind,
                lot_id=m.lot_id,
                new_lot=services.LotSpec(**m.new_lot.model_dump()) if m.new_lot else None,
                unit_cost=unit_cost,
                happened_at=m.happened_at,
                reason=m.reason,
                source_line=m.source_line,
                allow_unavailable_lot=m.allow_unavailable_lot,
                override_note=m.override_note,
            )
        )
    if errors:
        raise BohError(code=errors[0].code, message=errors[0].message, fields=errors, status=400)
    return specs


def _posted(result: services.PostResult) -> dict[str, Any]:
    return {
        "batch": result.batch,
        "moves": result.moves,
        "revaluation_job_ids": result.revaluation_job_ids,
    }


@router.post("/moves", response={201: PostOut, **ERRORS})
def post_moves(request: HttpRequest, payload: PostIn) -> Any:
    """Post a batch of stock moves in one transaction (quantities in any unit of the item)."""
    actor = _actor(request)
    result = services.post_moves(
        actor,
        _specs(actor, payload.moves),
        source_type=payload.source_type,
        source_id=payload.source_id,
    )
    return Status(201, _posted(result))


@router.post("/moves/{move_id}/reverse", response={201: PostOut, **ERRORS})
def reverse_move(request: HttpRequest, move_id: ObjId, payload: ReverseIn) -> Any:
    """Post the exact opposite of a move (quantity, value and lot), pointing to it."""
    actor = _actor(request)
    move = actor.get(StockMove.objects.all(), move_id, Perm.STOCK_VIEW, "location_id")
    result = services.reverse_moves(
        actor,
        [move.pk],
        reason=payload.reason,
        source_type=payload.source_type,
        source_id=payload.source_id or str(move_id),
        permission=Perm.STOCK_APPROVE,
    )
    return Status(201, _posted(result))


class LotFilter(Schema):
    item_id: ObjId | None = None
    status: str | None = None
    code: str | None = None
    expires_before: date | None = None


@router.get("/lots", response={200: list[LotOut], **ERRORS})
@paginate(Pages)
def list_lots(request: HttpRequest, filters: Query[LotFilter]) -> Any:
    """Lots of the organization, earliest expiry first."""
    qs = selectors.lots(_actor(request)).order_by("expiry_date", "received_date", "id")
    if filters.item_id is not None:
        qs = qs.filter(item_id=filters.item_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.code:
        qs = qs.filter(code__icontains=filters.code)
    if filters.expires_before is not None:
        qs = qs.filter(expiry_date__lt=filters.expires_before)
    return qs


def _trace(trace: selectors.LotTrace) -> dict[str, Any]:
    return {
        "lot": trace.lot,
        "on_hand": trace.on_hand,
        "received": trace.received,
        "consumed": trace.consumed,
    }


@router.get("/lots/{lot_id}", response={200: LotDetailOut, **ERRORS})
def get_lot(request: HttpRequest, lot_id: ObjId) -> Any:
    """One lot with its traceability: where it is now, where it came in and where it went."""
    return _trace(selectors.lot_traceability(_actor(request), lot_id))


@router.post("/lots/{lot_id}/hold", response={200: LotOut, **ERRORS})
def hold_lot(request: HttpRequest, lot_id: ObjId, payload: LotStatusIn) -> Lot:
    """Put a lot on hold everywhere: FEFO skips it and naming it needs an override."""
    return services.place_lot_on_hold(_actor(request), lot_id, note=payload.note)


@router.post("/lots/{lot_id}/release", response={200: LotOut, **ERRORS})
def release_lot(request: HttpRequest, lot_id: ObjId, payload: LotStatusIn) -> Lot:
    """Release a held lot."""
    return services.release_lot(_actor(request), lot_id, note=payload.note)


@router.post("/lots/{lot_id}/recall", response={200: LotDetailOut, **ERRORS})
def recall_lot(request: HttpRequest, lot_id: ObjId, payload: LotStatusIn) -> Any:
    """Recall a lot everywhere and return where it is now and where it was used."""
    return _trace(services.recall_lot(_actor(request), lot_id, note=payload.note))


class AlertFilter(Schema):
    location_id: ObjId | None = None


@router.get("/expiry-alerts", response={200: ExpiryAlertsOut, **ERRORS})
def expiry_alerts(request: HttpRequest, filters: Query[AlertFilter]) -> Any:
    """Lots expiring soon (per item category) and expired stock awaiting a waste entry."""
    return selectors.expiry_alerts(_actor(request), filters.location_id)
