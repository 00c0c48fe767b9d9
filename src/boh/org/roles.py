"""Roles and the permissions each one carries. Checked in services and selectors alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner / admin")
    FINANCE = "finance", _("Finance")
    PURCHASING = "purchasing", _("Purchasing")
    OPERATIONS = "operations", _("Operations")
    AREA_SUPERVISOR = "area_supervisor", _("Area supervisor")
    STORE_MANAGER = "store_manager", _("Store manager")
    STORE_STAFF = "store_staff", _("Store staff")
    AUDITOR = "auditor", _("Auditor (read only)")
    INTEGRATION = "integration", _("Integration (API only)")


class Perm:
    """Permission names. A module adds its own here so the whole map is in one place."""

    ORG_VIEW = "org.view"
    ORG_MANAGE = "org.manage"
    USERS_MANAGE = "org.users.manage"
    API_KEYS_MANAGE = "org.api_keys.manage"
    AUDIT_VIEW = "org.audit.view"
    CATALOG_VIEW = "catalog.view"
    CATALOG_MANAGE = "catalog.manage"
    STOCK_VIEW = "inventory.view"
    STOCK_POST = "inventory.post"
    STOCK_COUNT = "inventory.count"
    STOCK_APPROVE = "inventory.approve"
    STOCK_ADMIN = "inventory.admin"
    SALES_VIEW = "sales.view"
    SALES_INGEST = "sales.ingest"
    MENU_MANAGE = "menu.manage"
    PURCHASING_VIEW = "purchasing.view"
    PURCHASING_MANAGE = "purchasing.manage"
    PURCHASING_APPROVE = "purchasing.approve"
    RECEIVE = "purchasing.receive"
    INVOICES_MANAGE = "purchasing.invoices"
    PLANNING_VIEW = "planning.view"
    PLANNING_MANAGE = "planning.manage"


_READ = {
    Perm.ORG_VIEW,
    Perm.CATALOG_VIEW,
    Perm.STOCK_VIEW,
    Perm.SALES_VIEW,
    Perm.PURCHASING_VIEW,
    Perm.PLANNING_VIEW,
}
_STORE_WORK = {Perm.STOCK_POST, Perm.STOCK_COUNT, Perm.RECEIVE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset({v for k, v in vars(Perm).items() if k.isupper() and isinstance(v, str)}),
    Role.FINANCE: frozenset(_READ | {Perm.AUDIT_VIEW, Perm.INVOICES_MANAGE, Perm.STOCK_APPROVE}),
    Role.PURCHASING: frozenset(
        _READ
        | {
            Perm.CATALOG_MANAGE,
            Perm.PURCHASING_MANAGE,
            Perm.PURCHASING_APPROVE,
            Perm.RECEIVE,
            Perm.PLANNING_MANAGE,
        }
    ),
    Role.OPERATIONS: frozenset(
        _READ
        | _STORE_WORK
        | {
            Perm.CATALOG_MANAGE,
            Perm.MENU_MANAGE,
            Perm.STOCK_APPROVE,
            Perm.STOCK_ADMIN,
            Perm.PLANNING_MANAGE,
            Perm.PURCHASING_MANAGE,
        }
    ),
    Role.AREA_SUPERVISOR: frozenset(_READ | _STORE_WORK | {Perm.STOCK_APPROVE}),
    Role.STORE_MANAGER: frozenset(
        _READ | _STORE_WORK | {Perm.STOCK_APPROVE, Perm.PURCHASING_MANAGE, Perm.PURCHASING_APPROVE}
    ),
    Role.STORE_STAFF: frozenset(
        {Perm.ORG_VIEW, Perm.CATALOG_VIEW, Perm.STOCK_VIEW, Perm.PURCHASING_VIEW} | _STORE_WORK
    ),
    Role.AUDITOR: frozenset(_READ | {Perm.AUDIT_VIEW}),
    Role.INTEGRATION: frozenset(
        _READ | {Perm.SALES_INGEST, Perm.STOCK_POST, Perm.RECEIVE, Perm.CATALOG_MANAGE}
    ),
}

# Roles that may sign in to pages; integration is for API keys only.
INTERACTIVE_ROLES = frozenset(r for r in Role.values if r != Role.INTEGRATION)


def permissions_of(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
