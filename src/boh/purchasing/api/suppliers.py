"""Suppliers, their contacts, delivery terms, items, prices, and purchasing settings."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from boh.core.errors import not_found
from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org.access import request_actor as _actor
from boh.org.roles import Perm
from boh.purchasing import selectors, services
from boh.purchasing.models import ApprovalRule, Supplier, SupplierContact
from boh.purchasing.schemas import (
    ContactIn,
    ContactOut,
    DeliveryTermsIn,
    DeliveryTermsOut,
    PreferredIn,
    PreferredOut,
    PriceIn,
    PriceOut,
    RuleIn,
    RuleOut,
    RulePatch,
    SettingsOut,
    SettingsPatch,
    SupplierDetailOut,
    SupplierIn,
    SupplierItemIn,
    SupplierItemOut,
    SupplierItemPatch,
    SupplierOut,
    SupplierPatch,
)
from boh.purchasing.services.common import settings_of

router = Router(tags=["purchasing: suppliers"])


def _set(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


def _detail(supplier: Supplier) -> dict[str, Any]:
    return {
        **{f.attname: getattr(supplier, f.attname) for f in Supplier._meta.concrete_fields},
        "contacts": list(supplier.contacts.all()),
        "delivery_terms": list(selectors.delivery_terms(supplier)),
    }


class SupplierFilter(Schema):
    active: bool | None = None
    q: str | None = None


@router.get("/suppliers", response={200: list[SupplierOut], **ERRORS})
@paginate(Pages)
def list_suppliers(request: HttpRequest, filters: Query[SupplierFilter]) -> Any:
    """Suppliers by code; filter by active or a word in code, name or tax id."""
    return selectors.suppliers(_actor(request), active=filters.active, q=filters.q)


@router.post("/suppliers", response={201: SupplierDetailOut, **ERRORS})
def create_supplier(request: HttpRequest, payload: SupplierIn) -> Any:
    """Add a supplier; internal_location_id makes a central kitchen or warehouse one."""
    return 201, _detail(services.create_supplier(_actor(request), **payload.model_dump()))


@router.get("/suppliers/{supplier_id}", response={200: SupplierDetailOut, **ERRORS})
def get_supplier(request: HttpRequest, supplier_id: ObjId) -> Any:
    """One supplier with its contacts and delivery terms."""
    return _detail(selectors.supplier(_actor(request), supplier_id))


@router.patch("/suppliers/{supplier_id}", response={200: SupplierDetailOut, **ERRORS})
def patch_supplier(request: HttpRequest, supplier_id: ObjId, payload: SupplierPatch) -> Any:
    """Change a supplier's details, terms or over-receipt tolerance."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    return _detail(services.update_supplier(actor, supplier, **_set(payload)))


@router.post("/suppliers/{supplier_id}/contacts", response={201: ContactOut, **ERRORS})
def add_contact(request: HttpRequest, supplier_id: ObjId, payload: ContactIn) -> Any:
    """Add a contact person to a supplier."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    return 201, services.add_contact(actor, supplier, **payload.model_dump())


@router.delete("/suppliers/{supplier_id}/contacts/{contact_id}", response={204: None, **ERRORS})
def remove_contact(request: HttpRequest, supplier_id: ObjId, contact_id: ObjId) -> Any:
    """Remove a contact person from a supplier."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    services.remove_contact(actor, _contact(supplier, contact_id))
    return 204, None


def _contact(supplier: Supplier, contact_id: int) -> SupplierContact:
    contact = SupplierContact.objects.filter(supplier=supplier, pk=contact_id).first()
    if contact is None:
        raise not_found(_("Not found."))
    return contact


@router.put("/suppliers/{supplier_id}/delivery-terms", response={200: DeliveryTermsOut, **ERRORS})
def set_delivery_terms(request: HttpRequest, supplier_id: ObjId, payload: DeliveryTermsIn) -> Any:
    """Set the delivery weekdays, cut-off, lead time and minimum order for one location."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    return services.set_delivery_terms(actor, supplier, **payload.model_dump())


class SupplierItemFilter(Schema):
    item_id: ObjId | None = None
    active: bool | None = None
    q: str | None = None


@router.get("/suppliers/{supplier_id}/items", response={200: list[SupplierItemOut], **ERRORS})
@paginate(Pages)
def list_supplier_items(
    request: HttpRequest, supplier_id: ObjId, filters: Query[SupplierItemFilter]
) -> Any:
    """A supplier's items with their packs; search by code, name or pinyin initials."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    return selectors.supplier_items(
        actor, supplier_id=supplier.pk, item_id=filters.item_id, active=filters.active, q=filters.q
    )


@router.post("/suppliers/{supplier_id}/items", response={201: SupplierItemOut, **ERRORS})
def create_supplier_item(request: HttpRequest, supplier_id: ObjId, payload: SupplierItemIn) -> Any:
    """Add an item as the supplier sells it, with its exact pack and an opening price."""
    actor = _actor(request)
    supplier = selectors.supplier(actor, supplier_id)
    return 201, services.create_supplier_item(actor, supplier, **payload.model_dump())


@router.get("/supplier-items/{supplier_item_id}", response={200: SupplierItemOut, **ERRORS})
def get_supplier_item(request: HttpRequest, supplier_item_id: ObjId) -> Any:
    """One supplier item."""
    return selectors.supplier_item(_actor(request), supplier_item_id)


@router.patch("/supplier-items/{supplier_item_id}", response={200: SupplierItemOut, **ERRORS})
def patch_supplier_item(
    request: HttpRequest, supplier_item_id: ObjId, payload: SupplierItemPatch
) -> Any:
    """Change a supplier item's code, MOQ or active flag."""
    actor = _actor(request)
    si = selectors.supplier_item(actor, supplier_item_id)
    return services.update_supplier_item(actor, si, **_set(payload))


@router.get("/supplier-items/{supplier_item_id}/prices", response={200: list[PriceOut], **ERRORS})
@paginate(Pages)
def list_prices(request: HttpRequest, supplier_item_id: ObjId) -> Any:
    """The price history of a supplier item, newest first."""
    return selectors.price_history(selectors.supplier_item(_actor(request), supplier_item_id))


@router.post("/supplier-items/{supplier_item_id}/prices", response={201: PriceOut, **ERRORS})
def set_price(request: HttpRequest, supplier_item_id: ObjId, payload: PriceIn) -> Any:
    """Agree a new price from a date, per pack or per a standard unit of the item."""
    actor = _actor(request)
    si = selectors.supplier_item(actor, supplier_item_id)
    return 201, services.set_price(actor, si, **payload.model_dump())


@router.put("/preferred-suppliers", response={200: PreferredOut, **ERRORS})
def set_preferred_supplier(request: HttpRequest, payload: PreferredIn) -> Any:
    """Choose the supplier item a location (or every location) orders its item as."""
    return services.set_preferred_supplier(_actor(request), **payload.model_dump())


@router.get("/settings", response={200: SettingsOut, **ERRORS})
def get_settings(request: HttpRequest) -> Any:
    """The organization's receiving and invoice-matching tolerances."""
    actor = _actor(request)
    actor.require(Perm.PURCHASING_VIEW)
    return settings_of(actor.organization)


@router.patch("/settings", response={200: SettingsOut, **ERRORS})
def patch_settings(request: HttpRequest, payload: SettingsPatch) -> Any:
    """Change the receiving and invoice-matching tolerances."""
    return services.update_settings(_actor(request), **_set(payload))


@router.get("/approval-rules", response={200: list[RuleOut], **ERRORS})
@paginate(Pages)
def list_rules(request: HttpRequest) -> Any:
    """Approval rules: the highest order total each role may approve, and where."""
    return selectors.approval_rules(_actor(request))


@router.post("/approval-rules", response={201: RuleOut, **ERRORS})
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    """Let a role approve orders up to an amount, at one location or everywhere."""
    return 201, services.create_approval_rule(_actor(request), **payload.model_dump())


@router.patch("/approval-rules/{rule_id}", response={200: RuleOut, **ERRORS})
def patch_rule(request: HttpRequest, rule_id: ObjId, payload: RulePatch) -> Any:
    """Change a rule's amount."""
    actor = _actor(request)
    rule = actor.get(ApprovalRule.objects.all(), rule_id, Perm.PURCHASING_VIEW)
    return services.update_approval_rule(actor, rule, max_amount=payload.max_amount)


@router.delete("/approval-rules/{rule_id}", response={204: None, **ERRORS})
def delete_rule(request: HttpRequest, rule_id: ObjId) -> Any:
    """Remove an approval rule."""
    actor = _actor(request)
    rule = actor.get(ApprovalRule.objects.all(), rule_id, Perm.PURCHASING_VIEW)
    services.delete_approval_rule(actor, rule)
    return 204, None
