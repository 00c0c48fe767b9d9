"""The navigation of the page shell: one entry per page, shown when the actor may use it.

A module adds its pages here. An entry whose url name does not resolve (the module has no
such page yet) is left out, so the menu never links to a missing page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from boh.org.access import Actor
from boh.org.roles import Perm


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    # The first of these url names that resolves is linked; none resolving hides the entry.
    url_names: tuple[str, ...]
    perm: str
    # Paths under this prefix mark the entry as the current page (the longest prefix wins);
    # by default only the entry's own url does.
    prefix: str | None = None


@dataclass(frozen=True)
class NavGroup:
    label: str | Promise
    entries: tuple[NavEntry, ...]


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    current: bool


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    links: tuple[NavLink, ...]


def _entry(
    label: str | Promise, url_names: str | tuple[str, ...], perm: str, prefix: str | None = None
) -> NavEntry:
    names = (url_names,) if isinstance(url_names, str) else url_names
    return NavEntry(label, names, perm, prefix)


NAV: tuple[NavGroup, ...] = (
    NavGroup(_("Overview"), (_entry(_("Dashboard"), "web:home", Perm.ORG_VIEW),)),
    NavGroup(
        _("Catalog"),
        (
            _entry(_("Items"), "catalog:items", Perm.CATALOG_VIEW, "/catalog/"),
            _entry(
                _("Categories"), "catalog:categories", Perm.CATALOG_VIEW, "/catalog/categories/"
            ),
            _entry(
                _("Storage areas"),
                "catalog:storage_areas",
                Perm.CATALOG_VIEW,
                "/catalog/storage-areas/",
            ),
        ),
    ),
    NavGroup(
        _("Inventory"),
        (
            _entry(
                _("Stock on hand"),
                ("inventory:on_hand", "inventory:stock", "inventory:balances", "inventory:index"),
                Perm.STOCK_VIEW,
                "/inventory/",
            ),
            _entry(_("Log waste"), "inventory_docs:waste_new", Perm.STOCK_POST, "/inventory/waste"),
            _entry(
                _("Transfers"), "inventory_docs:transfers", Perm.STOCK_VIEW, "/inventory/transfers"
            ),
            _entry(
                _("Stocktakes"),
                "inventory_docs:stocktakes",
                Perm.STOCK_VIEW,
                "/inventory/stocktakes",
            ),
        ),
    ),
    NavGroup(
        _("Menu"),
        (
            _entry(_("Menu items"), "menu:items", Perm.CATALOG_VIEW, "/menu/"),
            _entry(_("Cost movers"), "menu:cost_movers", Perm.STOCK_VIEW, "/menu/cost-movers/"),
        ),
    ),
    NavGroup(
        _("Purchasing"),
        (
            _entry(_("Purchase orders"), "purchasing:orders", Perm.PURCHASING_VIEW, "/purchasing/"),
            _entry(
                _("Receive a delivery"),
                "purchasing:receive",
                Perm.PURCHASING_VIEW,
                "/purchasing/receive",
            ),
            _entry(
                _("Requisitions"),
                "purchasing:requisitions",
                Perm.PURCHASING_VIEW,
                "/purchasing/requisitions/",
            ),
            _entry(
                _("Suppliers"),
                "purchasing:suppliers",
                Perm.PURCHASING_VIEW,
                "/purchasing/suppliers/",
            ),
            _entry(
                _("Supplier invoices"),
                "purchasing:invoices",
                Perm.PURCHASING_VIEW,
                "/purchasing/invoices/",
            ),
            _entry(
                _("Supplier scorecard"),
                "purchasing:scorecard",
                Perm.PURCHASING_VIEW,
                "/purchasing/scorecard/",
            ),
        ),
    ),
    NavGroup(
        _("Sales"),
        (
            _entry(_("Daily sales"), "sales:daily", Perm.SALES_VIEW),
            _entry(_("Tickets"), "sales:tickets", Perm.SALES_VIEW, "/sales/tickets/"),
            _entry(_("Unmapped sales"), "sales:unmapped", Perm.SALES_VIEW, "/sales/unmapped/"),
            _entry(_("AvT variance"), "sales:avt", Perm.SALES_VIEW, "/sales/avt/"),
            _entry(
                _("Menu engineering"),
                "sales:menu_engineering",
                Perm.SALES_VIEW,
                "/sales/menu-engineering/",
            ),
        ),
    ),
    NavGroup(
        _("Planning"),
        (
            _entry(_("Forecasts"), "planning:forecasts", Perm.PLANNING_VIEW),
            _entry(
                _("Suggested orders"),
                "planning:suggestions",
                Perm.PLANNING_VIEW,
                "/planning/suggestions/",
            ),
            _entry(
                _("Prep list"), "planning:prep_list", Perm.PLANNING_VIEW, "/planning/prep-list/"
            ),
            _entry(_("Events"), "planning:events", Perm.PLANNING_VIEW, "/planning/events/"),
            _entry(_("Weather"), "planning:weather", Perm.PLANNING_VIEW, "/planning/weather/"),
            _entry(
                _("Replenishment settings"),
                "planning:settings",
                Perm.PLANNING_MANAGE,
                "/planning/settings/",
            ),
            _entry(_("Simulations"), "demo:simulations", Perm.PLANNING_VIEW, "/demo/simulations/"),
        ),
    ),
    NavGroup(
        _("Organization"),
        (
            _entry(_("Regions"), "web:regions", Perm.ORG_VIEW, "/org/regions/"),
            _entry(_("Locations"), "web:locations", Perm.ORG_VIEW, "/org/locations/"),
            _entry(_("Users"), "web:users", Perm.USERS_MANAGE, "/org/users/"),
            _entry(_("API keys"), "web:api_keys", Perm.API_KEYS_MANAGE, "/org/api-keys/"),
            _entry(_("Audit trail"), "web:audit", Perm.AUDIT_VIEW, "/org/audit/"),
        ),
    ),
)


def _url(url_names: tuple[str, ...]) -> str | None:
    for name in url_names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def navigation(actor: Actor, path: str, groups: tuple[NavGroup, ...] = NAV) -> list[NavSection]:
    """The sections and links this actor may use, with the current page marked."""
    shown: list[tuple[NavGroup, list[tuple[NavEntry, str]]]] = []
    for group in groups:
        entries = []
        for entry in group.entries:
            url = _url(entry.url_names) if actor.can(entry.perm) else None
            if url is not None:
                entries.append((entry, url))
        if entries:
            shown.append((group, entries))

    def match(entry: NavEntry, url: str) -> int:
        if path == url:
            return 10_000
        return len(entry.prefix) if entry.prefix and path.startswith(entry.prefix) else 0

    best = max((match(e, u) for _g, pairs in shown for e, u in pairs), default=0)
    return [
        NavSection(
            group.label,
            tuple(NavLink(e.label, u, best > 0 and match(e, u) == best) for e, u in pairs),
        )
        for group, pairs in shown
    ]
