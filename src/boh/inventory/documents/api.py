"""HTTP operations of inventory documents: transfers, the waste log and stocktakes."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from boh.core.errors import validation_error
from boh.core.schemas import ERRORS, ObjId, Pages, QuerySchema
from boh.inventory.documents import selectors, stocktakes, transfers, waste
from boh.inventory.documents.schemas import (
    CountItemIn,
    CountLineIn,
    CountLineOut,
    InTransitOut,
    SheetAreaOut,
    SheetLineOut,
    StocktakeIn,
    StocktakeOut,
    StocktakeVarianceOut,
    TransferIn,
    TransferOut,
    TransferPatch,
    TransferReceiveIn,
    TransferResolveIn,
    TransferShipIn,
    TransferSummaryOut,
    WasteIn,
    WasteOut,
)
from boh.org.access import Actor, request_actor

router = Router(tags=["inventory documents"])
# Optional in the schema so that an unknown waste entry answers 404 before a missing file.
_OPTIONAL_FILE = File(None)


def _actor(request: HttpRequest) -> Actor:
    return request_actor(request)


def _lines(payload: Schema, name: str = "lines") -> list[dict[str, Any]] | None:
    value = getattr(payload, name)
    return None if value is None else [line.model_dump() for line in value]


# ---------------------------------------------------------------- transfers


class TransferFilter(Schema):
    status: str | None = None
    location_id: ObjId | None = None


@router.get("/transfers", response={200: list[TransferSummaryOut], **ERRORS})
@paginate(Pages)
def list_transfers(request: HttpRequest, filters: Query[TransferFilter]) -> Any:
    """Transfers from or to the caller's locations, newest first."""
    return selectors.transfers(
        _actor(request), status=filters.status, location_id=filters.location_id
    )


@router.post("/transfers", response={201: TransferOut, **ERRORS})
def create_transfer(request: HttpRequest, payload: TransferIn) -> Any:
    """Request stock to be sent from one location to another."""
    actor = _actor(request)
    created = transfers.create_transfer(
        actor,
        from_location_id=payload.from_location_id,
        to_location_id=payload.to_location_id,
        lines=_lines(payload) or [],
        note=payload.note,
    )
    return Status(201, selectors.transfer(actor, created.pk))


@router.get("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS})
def get_transfer(request: HttpRequest, transfer_id: ObjId) -> Any:
    """One transfer with its lines and the lots shipped."""
    return selectors.transfer(_actor(request), transfer_id)


@router.patch("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS})
def patch_transfer(request: HttpRequest, transfer_id: ObjId, payload: TransferPatch) -> Any:
    """Change the note or replace the lines of a transfer not yet approved."""
    actor = _actor(request)
    found = selectors.transfer(actor, transfer_id)
    transfers.update_transfer(actor, found, note=payload.note, lines=_lines(payload))
    return selectors.transfer(actor, transfer_id)


@router.delete("/transfers/{transfer_id}", response={204: None, **ERRORS})
def delete_transfer(request: HttpRequest, transfer_id: ObjId) -> Any:
    """Delete a transfer request that was never approved."""
    actor = _actor(request)
    transfers.delete_transfer(actor, selectors.transfer(actor, transfer_id))
    return Status(204, None)


@router.post("/transfers/{transfer_id}/approve", response={200: TransferOut, **ERRORS})
def approve_transfer(request: HttpRequest, transfer_id: ObjId) -> Any:
    """The sending location agrees to ship."""
    actor = _actor(request)
    transfers.approve_transfer(actor, selectors.transfer(actor, transfer_id))
    return selectors.transfer(actor, transfer_id)


@router.post("/transfers/{transfer_id}/ship", response={200: TransferOut, **ERRORS})
def ship_transfer(request: HttpRequest, transfer_id: ObjId, payload: TransferShipIn) -> Any:
    """Ship: stock leaves the sender at its current cost and is in transit."""
    actor = _actor(request)
    transfers.ship_transfer(actor, selectors.transfer(actor, transfer_id), lines=_lines(payload))
    return selectors.transfer(actor, transfer_id)


@router.post("/transfers/{transfer_id}/receive", response={200: TransferOut, **ERRORS})
def receive_transfer(request: HttpRequest, transfer_id: ObjId, payload: TransferReceiveIn) -> Any:
    """Receive at the destination, recording short, over and damaged quantities."""
    actor = _actor(request)
    transfers.receive_transfer(
        actor, selectors.transfer(actor, transfer_id), lines=_lines(payload), note=payload.note
    )
    return selectors.transfer(actor, transfer_id)


@router.post("/transfers/{transfer_id}/cancel", response={200: TransferOut, **ERRORS})
def cancel_transfer(request: HttpRequest, transfer_id: ObjId) -> Any:
    """Call off a transfer before it ships."""
    actor = _actor(request)
    transfers.cancel_transfer(actor, selectors.transfer(actor, transfer_id))
    return selectors.transfer(actor, transfer_id)


@router.post("/transfers/{transfer_id}/resolve", response={200: TransferOut, **ERRORS})
def resolve_transfer(request: HttpRequest, transfer_id: ObjId, payload: TransferResolveIn) -> Any:
    """Close a shortfall: found at the destination, never left, or written off."""
    actor = _actor(request)
    transfers.resolve_transfer(
        actor,
        selectors.transfer(actor, transfer_id),
        resolution=payload.resolution,
        note=payload.note,
    )
    return selectors.transfer(actor, transfer_id)


class InTransitFilter(Schema):
    location_id: ObjId | None = None


@router.get("/in-transit", response={200: list[InTransitOut], **ERRORS})
@paginate(Pages)
def list_in_transit(request: HttpRequest, filters: Query[InTransitFilter]) -> Any:
    """Stock shipped and not yet received, and shortfalls still open, per lot."""
    return selectors.in_transit(_actor(request), location_id=filters.location_id)


# ---------------------------------------------------------------- waste


class WasteFilter(QuerySchema):
    location_id: ObjId | None = None
    item_id: ObjId | None = None
    reason: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@router.get("/waste", response={200: list[WasteOut], **ERRORS})
@paginate(Pages)
def list_waste(request: HttpRequest, filters: Query[WasteFilter]) -> Any:
    """Waste entries, latest first; filter by location, item, reason and time."""
    return selectors.waste_entries(_actor(request), **filters.model_dump())


@router.post("/waste", response={201: WasteOut, **ERRORS})
def create_waste(request: HttpRequest, payload: WasteIn) -> Any:
    """Log stock thrown away; it leaves stock at once (earliest expiry first)."""
    return Status(201, waste.log_waste(_actor(request), **payload.model_dump()))


@router.get("/waste/{waste_id}", response={200: WasteOut, **ERRORS})
def get_waste(request: HttpRequest, waste_id: ObjId) -> Any:
    """One waste entry."""
    return selectors.waste_entry(_actor(request), waste_id)


@router.post("/waste/{waste_id}/photo", response={200: WasteOut, **ERRORS})
def upload_waste_photo(
    request: HttpRequest, waste_id: ObjId, photo: UploadedFile | None = _OPTIONAL_FILE
) -> Any:
    """Attach a photo (JPEG, PNG, WebP or HEIC, multipart field `photo`) to a waste entry."""
    actor = _actor(request)
    entry = selectors.waste_entry(actor, waste_id)
    if photo is None:
        raise validation_error("required", _("This field is required."), "photo")
    return waste.attach_waste_photo(actor, entry, photo)


# ---------------------------------------------------------------- stocktakes


class StocktakeFilter(Schema):
    location_id: ObjId | None = None
    status: str | None = None


@router.get("/stocktakes", response={200: list[StocktakeOut], **ERRORS})
@paginate(Pages)
def list_stocktakes(request: HttpRequest, filters: Query[StocktakeFilter]) -> Any:
    """Stocktakes, latest first."""
    return selectors.stocktakes(
        _actor(request), location_id=filters.location_id, status=filters.status
    ).prefetch_related("areas", "categories")


@router.post("/stocktakes", response={201: StocktakeOut, **ERRORS})
def create_stocktake(request: HttpRequest, payload: StocktakeIn) -> Any:
    """Start a count (full, by storage area or by category) and snapshot what is expected."""
    actor = _actor(request)
    created = stocktakes.start_stocktake(actor, **payload.model_dump())
    return Status(201, selectors.stocktake(actor, created.pk))


@router.get("/stocktakes/{stocktake_id}", response={200: StocktakeOut, **ERRORS})
def get_stocktake(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """One stocktake."""
    return selectors.stocktake(_actor(request), stocktake_id)


@router.get("/stocktakes/{stocktake_id}/areas", response={200: list[SheetAreaOut], **ERRORS})
@paginate(Pages)
def list_sheet_areas(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """The count sheets, one per storage area in walking order, with progress."""
    return selectors.sheet_areas(selectors.stocktake(_actor(request), stocktake_id))


class SheetFilter(Schema):
    area_id: ObjId | None = None


@router.get("/stocktakes/{stocktake_id}/sheet", response={200: list[SheetLineOut], **ERRORS})
@paginate(Pages)
def get_sheet(request: HttpRequest, stocktake_id: ObjId, filters: Query[SheetFilter]) -> Any:
    """One area's count sheet in walking order (no area_id: items in no particular area)."""
    actor = _actor(request)
    return selectors.count_sheet(actor, selectors.stocktake(actor, stocktake_id), filters.area_id)


@router.put("/stocktakes/{stocktake_id}/lines/{line_id}", response={200: CountLineOut, **ERRORS})
def put_count_line(
    request: HttpRequest, stocktake_id: ObjId, line_id: ObjId, payload: CountLineIn
) -> Any:
    """Save one line's count (autosave): mixed units add up; the same body again is a no-op."""
    actor = _actor(request)
    found = selectors.stocktake(actor, stocktake_id)
    line = selectors.stocktake_line(actor, found, line_id)
    return stocktakes.set_count(actor, found, line, entries=_lines(payload, "entries"))


@router.post("/stocktakes/{stocktake_id}/counts", response={200: CountLineOut, **ERRORS})
def count_item(request: HttpRequest, stocktake_id: ObjId, payload: CountItemIn) -> Any:
    """Save the count of an item in an area, adding it to that area's sheet if missing."""
    actor = _actor(request)
    return stocktakes.count_item(
        actor,
        selectors.stocktake(actor, stocktake_id),
        item_id=payload.item_id,
        area_id=payload.area_id,
        entries=_lines(payload, "entries"),
    )


@router.get(
    "/stocktakes/{stocktake_id}/variances", response={200: list[StocktakeVarianceOut], **ERRORS}
)
@paginate(Pages)
def list_variances(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """Counted against expected per item, largest absolute value first."""
    actor = _actor(request)
    return selectors.variance_review(actor, selectors.stocktake(actor, stocktake_id))


@router.post("/stocktakes/{stocktake_id}/approve", response={200: StocktakeOut, **ERRORS})
def approve_stocktake(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """Accept the counts; they can no longer change."""
    actor = _actor(request)
    stocktakes.approve_stocktake(actor, selectors.stocktake(actor, stocktake_id))
    return selectors.stocktake(actor, stocktake_id)


@router.post("/stocktakes/{stocktake_id}/reopen", response={200: StocktakeOut, **ERRORS})
def reopen_stocktake(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """Send an approved stocktake back for recounting."""
    actor = _actor(request)
    stocktakes.reopen_stocktake(actor, selectors.stocktake(actor, stocktake_id))
    return selectors.stocktake(actor, stocktake_id)


@router.post("/stocktakes/{stocktake_id}/post", response={200: StocktakeOut, **ERRORS})
def post_stocktake(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """Post the adjustments dated at the snapshot time; posting again changes nothing."""
    actor = _actor(request)
    stocktakes.post_stocktake(actor, selectors.stocktake(actor, stocktake_id))
    return selectors.stocktake(actor, stocktake_id)


@router.post("/stocktakes/{stocktake_id}/cancel", response={200: StocktakeOut, **ERRORS})
def cancel_stocktake(request: HttpRequest, stocktake_id: ObjId) -> Any:
    """Abandon a stocktake that has not been posted."""
    actor = _actor(request)
    stocktakes.cancel_stocktake(actor, selectors.stocktake(actor, stocktake_id))
    return selectors.stocktake(actor, stocktake_id)
