"""Purchasing objects for the tenant-isolation walk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from boh.purchasing import services
from boh.purchasing.models import ApprovalRule, MatchException
from tests.isolation import foreign
from tests.purchasing.conftest import BUYER_TAX_ID, SUPPLIER_TAX_ID, Buying

if TYPE_CHECKING:
    from tests.conftest import World


def _buying(world: World) -> Buying:
    """One set of purchasing test data per world, however many factories ask for it."""
    existing = getattr(world, "_purchasing", None)
    if existing is None:
        existing = Buying(world)
        world._purchasing = existing  # type: ignore[attr-defined]
    return existing


@foreign("supplier_id")
def _supplier(world: World) -> int:
    return _buying(world).supplier.pk


@foreign("contact_id")
def _contact(world: World) -> int:
    return services.add_contact(world.actor, _buying(world).supplier, name="李四").pk


@foreign("supplier_item_id")
def _supplier_item(world: World) -> int:
    return _buying(world).oil_si.pk


@foreign("rule_id")
def _rule(world: World) -> int:
    rule = ApprovalRule.objects.filter(organization=world.org, role="store_manager").first()
    if rule is not None:
        return rule.pk
    return services.create_approval_rule(world.actor, role="store_manager", max_amount="100").pk


@foreign("order_id")
def _order(world: World) -> int:
    buying = _buying(world)
    return buying.order((buying.oil_si, "1")).pk


@foreign("receipt_id")
def _receipt(world: World) -> int:
    buying = _buying(world)
    return services.receive_delivery(
        world.actor,
        location_id=world.store_a.pk,
        supplier_id=buying.supplier.pk,
        lines=[{"supplier_item_id": buying.oil_si.pk, "delivered_quantity": "1"}],
    ).pk


@foreign("return_id")
def _return(world: World) -> int:
    buying = _buying(world)
    receipt_id = _receipt(world)
    return services.return_to_supplier(
        world.actor,
        location_id=world.store_a.pk,
        receipt_id=receipt_id,
        reason="quality",
        lines=[{"supplier_item_id": buying.oil_si.pk, "quantity": "1"}],
    ).pk


def _invoice(world: World) -> int:
    cached = getattr(world, "_purchasing_invoice", None)
    if cached is not None:
        return int(cached)
    buying = _buying(world)
    invoice_id = services.enter_invoice(
        world.actor,
        supplier_id=buying.supplier.pk,
        number="26442000000099999999",
        kind="ordinary",
        invoice_date=dt.date(2026, 3, 1),
        supplier_tax_id=SUPPLIER_TAX_ID,
        buyer_tax_id=BUYER_TAX_ID,
        net_total="30.00",
        tax_total="2.70",
        gross_total="32.70",
        lines=[
            {
                "supplier_item_id": buying.lettuce_si.pk,
                "quantity": "1",
                "unit_price": "30",
                "net_amount": "30.00",
                "tax_rate": "9",
            }
        ],
    ).pk
    world._purchasing_invoice = invoice_id  # type: ignore[attr-defined]
    return invoice_id


foreign("invoice_id")(_invoice)


@foreign("exception_id")
def _exception(world: World) -> int:
    return MatchException.objects.get(invoice_id=_invoice(world)).pk
