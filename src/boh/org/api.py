"""HTTP operations of the org module: parse, call a service or selector, return."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from boh.core.schemas import ERRORS, ObjId, Pages
from boh.org import selectors, services
from boh.org.access import request_actor as _actor
from boh.org.models import ApiKey, Location, Membership, Region, User
from boh.org.roles import Perm
from boh.org.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    AuditEntryOut,
    LocationIn,
    LocationOut,
    LocationPatch,
    MeOut,
    OrganizationOut,
    OrganizationPatch,
    RegionIn,
    RegionOut,
    RegionPatch,
    RoleGrantIn,
    RoleGrantOut,
    UserIn,
    UserOut,
    UserPatch,
)

router = Router(tags=["organization"])


def _set(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    """Who is calling: user or API key, organization, roles and permissions."""
    actor = _actor(request)
    return {
        "user_id": actor.user_id,
        "api_key_id": actor.api_key_id,
        "organization": actor.organization,
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions()),
    }


@router.get("/organization", response={200: OrganizationOut, **ERRORS})
def get_organization(request: HttpRequest) -> Any:
    """The caller's organization and its settings."""
    return _actor(request).organization


@router.patch("/organization", response={200: OrganizationOut, **ERRORS})
def patch_organization(request: HttpRequest, payload: OrganizationPatch) -> Any:
    """Change the organization's names, time zone and stock policies."""
    return services.update_organization(_actor(request), **_set(payload))


class RegionFilter(Schema):
    parent_id: ObjId | None = None
    q: str | None = None


@router.get("/regions", response={200: list[RegionOut], **ERRORS})
@paginate(Pages)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """Regions in tree order; filter by parent or by a word in the code or name."""
    qs = selectors.regions(_actor(request))
    if filters.parent_id is not None:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(code__icontains=filters.q)
    return qs


@router.post("/regions", response={201: RegionOut, **ERRORS})
def create_region(request: HttpRequest, payload: RegionIn) -> Any:
    """Add a region under a parent, or at the top of the tree."""
    return Status(201, services.create_region(_actor(request), **payload.model_dump()))


@router.get("/regions/{region_id}", response={200: RegionOut, **ERRORS})
def get_region(request: HttpRequest, region_id: ObjId) -> Any:
    """One region."""
    actor = _actor(request)
    return actor.get(Region.objects.all(), region_id, Perm.ORG_VIEW)


@router.patch("/regions/{region_id}", response={200: RegionOut, **ERRORS})
def patch_region(request: HttpRequest, region_id: ObjId, payload: RegionPatch) -> Any:
    """Rename a region or move it under another parent."""
    actor = _actor(request)
    region = actor.get(Region.objects.all(), region_id, Perm.ORG_VIEW)
    return services.update_region(actor, region, **_set(payload))


@router.delete("/regions/{region_id}", response={204: None, **ERRORS})
def delete_region(request: HttpRequest, region_id: ObjId) -> Any:
    """Remove an empty region."""
    actor = _actor(request)
    services.delete_region(actor, actor.get(Region.objects.all(), region_id, Perm.ORG_VIEW))
    return Status(204, None)


class LocationFilter(Schema):
    kind: str | None = None
    region_id: ObjId | None = None
    active: bool | None = None
    q: str | None = None


@router.get("/locations", response={200: list[LocationOut], **ERRORS})
@paginate(Pages)
def list_locations(request: HttpRequest, filters: Query[LocationFilter]) -> Any:
    """Locations the caller's roles reach."""
    qs = selectors.locations(_actor(request), kind=filters.kind, active=filters.active)
    if filters.region_id is not None:
        qs = qs.filter(region_id=filters.region_id)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(code__icontains=filters.q)
    return qs


@router.post("/locations", response={201: LocationOut, **ERRORS})
def create_location(request: HttpRequest, payload: LocationIn) -> Any:
    """Open a store, central kitchen, warehouse or office."""
    values = {k: v for k, v in payload.model_dump().items() if v is not None or k == "region_id"}
    return Status(201, services.create_location(_actor(request), **values))


@router.get("/locations/{location_id}", response={200: LocationOut, **ERRORS})
def get_location(request: HttpRequest, location_id: ObjId) -> Any:
    """One location."""
    return _actor(request).get(Location.objects.all(), location_id, Perm.ORG_VIEW, "id")


@router.patch("/locations/{location_id}", response={200: LocationOut, **ERRORS})
def patch_location(request: HttpRequest, location_id: ObjId, payload: LocationPatch) -> Any:
    """Change a location; set is_active false to close it and keep its history."""
    actor = _actor(request)
    location = actor.get(Location.objects.all(), location_id, Perm.ORG_VIEW, "id")
    return services.update_location(actor, location, **_set(payload))


class UserFilter(Schema):
    q: str | None = None
    active: bool | None = None


@router.get("/users", response={200: list[UserOut], **ERRORS})
@paginate(Pages)
def list_users(request: HttpRequest, filters: Query[UserFilter]) -> Any:
    """People with a role in the organization."""
    qs = selectors.members(_actor(request))
    if filters.q:
        qs = qs.filter(username__icontains=filters.q) | qs.filter(display_name__icontains=filters.q)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


@router.post("/users", response={201: UserOut, **ERRORS})
def create_user(request: HttpRequest, payload: UserIn) -> Any:
    """Create an account with a first role."""
    return Status(201, services.create_user(_actor(request), **payload.model_dump()))


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def get_user(request: HttpRequest, user_id: ObjId) -> User:
    """One member."""
    return selectors.member(_actor(request), user_id)


@router.patch("/users/{user_id}", response={200: UserOut, **ERRORS})
def patch_user(request: HttpRequest, user_id: ObjId, payload: UserPatch) -> User:
    """Change a member's details or deactivate them."""
    actor = _actor(request)
    return services.update_user(actor, selectors.member(actor, user_id), **_set(payload))


class GrantFilter(Schema):
    user_id: ObjId | None = None
    role: str | None = None


@router.get("/role-grants", response={200: list[RoleGrantOut], **ERRORS})
@paginate(Pages)
def list_role_grants(request: HttpRequest, filters: Query[GrantFilter]) -> Any:
    """Roles granted in the organization, with their scope."""
    qs = selectors.role_grants(_actor(request))
    if filters.user_id is not None:
        qs = qs.filter(user_id=filters.user_id)
    if filters.role:
        qs = qs.filter(role=filters.role)
    return qs


@router.post("/role-grants", response={201: RoleGrantOut, **ERRORS})
def create_role_grant(request: HttpRequest, payload: RoleGrantIn) -> Any:
    """Grant a member a role for the organization, a region or a location."""
    actor = _actor(request)
    user = selectors.member(actor, payload.user_id, field="user_id")
    grant = services.grant_role(
        actor,
        user,
        role=payload.role,
        region_id=payload.region_id,
        location_id=payload.location_id,
    )
    return Status(201, grant)


@router.delete("/role-grants/{grant_id}", response={204: None, **ERRORS})
def delete_role_grant(request: HttpRequest, grant_id: ObjId) -> Any:
    """Take a role grant away."""
    actor = _actor(request)
    grant = actor.get(Membership.objects.all(), grant_id, Perm.USERS_MANAGE)
    services.revoke_role(actor, grant)
    return Status(204, None)


@router.get("/api-keys", response={200: list[ApiKeyOut], **ERRORS})
@paginate(Pages)
def list_api_keys(request: HttpRequest) -> Any:
    """API keys, newest first (the keys themselves are never shown again)."""
    return selectors.api_keys(_actor(request))


@router.post("/api-keys", response={201: ApiKeyCreatedOut, **ERRORS})
def create_api_key(request: HttpRequest, payload: ApiKeyIn) -> Any:
    """Issue a key; the response carries it once."""
    key, raw = services.create_api_key(_actor(request), **payload.model_dump())
    key.key = raw  # type: ignore[attr-defined]
    return Status(201, key)


@router.post("/api-keys/{key_id}/revoke", response={200: ApiKeyOut, **ERRORS})
def revoke_api_key(request: HttpRequest, key_id: ObjId) -> Any:
    """Revoke a key at once."""
    actor = _actor(request)
    key = actor.get(ApiKey.objects.all(), key_id, Perm.API_KEYS_MANAGE)
    return services.revoke_api_key(actor, key)


class AuditFilter(Schema):
    object_type: str | None = None
    object_id: str | None = None
    user_id: ObjId | None = None


@router.get("/audit", response={200: list[AuditEntryOut], **ERRORS})
@paginate(Pages)
def list_audit(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    """The audit trail, per record (object_type + object_id) or per user."""
    qs: Any = selectors.audit_trail(
        _actor(request),
        object_type=filters.object_type,
        object_id=filters.object_id,
        user_id=filters.user_id,
    )
    return qs
