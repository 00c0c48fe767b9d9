"""`boh demo` stocks the chain and loads sales history; loading again changes nothing.

The loads here use the small chain (a short menu sold in two stores) to stay quick.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Model

from boh.catalog.models import Barcode, Category, Item, Pack, StockLevel, StorageArea
from boh.core.models import AuditEntry, DomainEvent
from boh.demo import services as demo
from boh.demo.data import catalog as catalog_data
from boh.demo.data import menu as menu_data
from boh.demo.loaders.history import load_sales_history
from boh.demo.scope import SMALL_DISHES, SMALL_STORES, items_for
from boh.inventory.documents.models import WasteEntry
from boh.inventory.models import Lot, StockMove
from boh.menu.models import (
    MenuItem,
    MenuPrice,
    ModifierGroup,
    ModifierOption,
    PosCode,
    Recipe,
    RecipeVersion,
    StandardCost,
)
from boh.purchasing.models import (
    PreferredSupplier,
    Receipt,
    Supplier,
    SupplierItem,
    SupplierLocation,
    SupplierPrice,
)
from boh.sales.models import Ticket, TicketLine

TABLES: tuple[type[Model], ...] = (
    Category,
    Item,
    Pack,
    Barcode,
    StorageArea,
    StockLevel,
    MenuItem,
    ModifierGroup,
    ModifierOption,
    Recipe,
    RecipeVersion,
    MenuPrice,
    PosCode,
    StandardCost,
    Supplier,
    SupplierLocation,
    SupplierItem,
    SupplierPrice,
    PreferredSupplier,
    Receipt,
    Lot,
    StockMove,
    WasteEntry,
    Ticket,
    TicketLine,
    AuditEntry,
    DomainEvent,
)


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # Eight demo people: the default hasher would spend seconds on each load.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in TABLES}


def small_items() -> list[catalog_data.ItemRow]:
    codes = items_for(SMALL_DISHES)
    return [row for row in catalog_data.ITEMS if row.code in codes]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out, stderr=StringIO(), verbosity=2)
    return out.getvalue()


@pytest.mark.django_db
def test_given_a_small_chain_with_history_when_loading_again_then_no_table_grows() -> None:
    first = run_demo("--size", "small", "--days", "2")
    before = counts()

    second = run_demo("--size", "small", "--days", "2")

    assert counts() == before
    assert "; 0 records created now." in second
    assert "Loaded now" not in second
    rows = small_items()
    assert before["Category"] == len(catalog_data.CATEGORIES)
    assert before["Item"] == len(rows)
    assert before["Pack"] == sum(len(row.packs) for row in rows)
    assert before["MenuItem"] == len(SMALL_DISHES)
    offered = {"SPICE", "EXTRA", "NOHERB"}
    options = sum(len(g[5]) for g in menu_data.MODIFIER_GROUPS if g[0] in offered)
    assert before["PosCode"] == len(SMALL_DISHES) + options
    assert before["Supplier"] == 9
    assert f"{before['Item']} items, {before['Pack']} packs," in first
    assert f", {before['Ticket']} tickets." in first
    assert "refused" not in first
    assert "skipped" not in first
    assert "sales history:" in first
    stores = set(Ticket.objects.values_list("location__code", flat=True).distinct().order_by())
    assert stores == SMALL_STORES
    days = set(Ticket.objects.values_list("business_date", flat=True).distinct().order_by())
    assert len(days) == 2


@pytest.mark.django_db
def test_given_negative_days_when_loading_then_it_is_refused_naming_the_option() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as raised:
        call_command("demo", "--days", "-1", stdout=StringIO(), stderr=StringIO())

    assert str(raised.value) == "--days: Give zero or more days. [invalid_days]"
    assert counts()["Item"] == 0


@pytest.mark.django_db
def test_given_no_menu_when_loading_sales_history_then_the_step_is_skipped_saying_why() -> None:
    chain = demo.load_demo_chain(size="bare")

    load_sales_history(chain)

    assert chain.skipped == ["Sales history skipped: there is no menu to sell"]
    assert Ticket.objects.count() == 0
