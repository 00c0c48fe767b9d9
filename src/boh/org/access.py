"""Who is acting, in which organization, and which locations each permission reaches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from boh.core.errors import BohError, not_found, permission_denied
from boh.org.models import ApiKey, Location, Membership, Organization, User
from boh.org.roles import permissions_of

if TYPE_CHECKING:
    from collections.abc import Iterable

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    role: str
    region_path: str | None = None
    location_id: int | None = None


@dataclass
class Actor:
    """The caller of a service: a signed-in user or an API key, inside one organization."""

    organization: Organization
    grants: tuple[Grant, ...]
    user: User | None = None
    api_key: ApiKey | None = None
    ip: str | None = None
    is_system: bool = False
    _reach: dict[str, frozenset[int] | None] = field(default_factory=dict, repr=False)
    _location_paths: dict[int, str] | None = field(default=None, repr=False)

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user else None

    @property
    def api_key_id(self) -> int | None:
        return self.api_key.pk if self.api_key else None

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.username
        if self.api_key is not None:
            return f"api-key:{self.api_key.prefix}"
        return "system"

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def permissions(self) -> set[str]:
        if self.is_system:
            return set(permissions_of("owner"))
        result: set[str] = set()
        for g in self.grants:
            result |= permissions_of(g.role)
        return result

    def _paths(self) -> dict[int, str]:
        if self._location_paths is None:
            rows = Location.objects.filter(organization=self.organization).values_list(
                "id", "region__path"
            )
            self._location_paths = {pk: path or "" for pk, path in rows}
        return self._location_paths

    def reach(self, perm: str) -> frozenset[int] | None:
        """Location ids where perm applies; None means every location of the organization."""
        if perm in self._reach:
            return self._reach[perm]
        if self.is_system:
            self._reach[perm] = None
            return None
        ids: set[int] = set()
        result: frozenset[int] | None = frozenset()
        for g in self.grants:
            if perm not in permissions_of(g.role):
                continue
            if g.location_id is None and g.region_path is None:
                result = None
                break
            if g.location_id is not None:
                ids.add(g.location_id)
            elif g.region_path is not None:
                ids |= {pk for pk, p in self._paths().items() if p.startswith(g.region_path)}
        else:
            result = frozenset(ids)
        self._reach[perm] = result
        return result

    def can(self, perm: str, location_id: int | None = None) -> bool:
        """At a location: the permission reaches it. Without one: an org-wide grant is
        needed, except for reading, which any grant of the permission allows."""
        reach = self.reach(perm)
        if reach is None:
            return True
        if location_id is not None:
            return location_id in reach
        return perm.endswith(".view") and bool(reach)

    def require(self, perm: str, location_id: int | None = None) -> None:
        """Raise 403 unless the actor holds perm (at location_id, when given)."""
        if not self.can(perm, location_id):
            raise permission_denied(_("Your role does not allow this action."))

    def scope(self, qs: QuerySet[M], perm: str, location_field: str | None = None) -> QuerySet[M]:
        """Rows of this organization, limited to reachable locations when location_field is set."""
        qs = qs.filter(organization=self.organization)
        if location_field is None:
            if not self.can(perm):
                return qs.none()
            return qs
        reach = self.reach(perm)
        if reach is None:
            return qs
        return qs.filter(**{f"{location_field}__in": reach})

    def get(self, qs: QuerySet[M], pk: Any, perm: str, location_field: str | None = None) -> M:
        """One row in reach, or 404 that reveals nothing about rows of other organizations.

        An actor whose roles hold perm nowhere gets 403: that answer is about the caller's
        role and tells nothing about the row."""
        if self.reach(perm) == frozenset():
            raise permission_denied(_("Your role does not allow this action."))
        try:
            return self.scope(qs, perm, location_field).get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise not_found(_("Not found.")) from None


def request_actor(request: HttpRequest) -> Actor:
    """The actor that authentication attached to this request."""
    return request.actor  # type: ignore[attr-defined]


def grants_of(memberships: Iterable[Membership]) -> tuple[Grant, ...]:
    return tuple(
        Grant(
            role=m.role,
            region_path=m.region.path if m.region_id and m.region else None,
            location_id=m.location_id,
        )
        for m in memberships
    )


def actor_for_user(user: User, organization: Organization, ip: str | None = None) -> Actor:
    memberships = Membership.objects.filter(user=user, organization=organization).select_related(
        "region"
    )
    return Actor(organization=organization, grants=grants_of(memberships), user=user, ip=ip)


def actor_for_api_key(key: ApiKey, ip: str | None = None) -> Actor:
    grant = Grant(
        role=key.role,
        region_path=key.region.path if key.region_id and key.region else None,
        location_id=key.location_id,
    )
    return Actor(organization=key.organization, grants=(grant,), api_key=key, ip=ip)


def system_actor(organization: Organization) -> Actor:
    """The actor for command-line tools, the demo loader and background jobs."""
    return Actor(organization=organization, grants=(), is_system=True)


def organizations_of(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user, is_active=True).distinct()


def active_organization(user: User, wanted_id: int | None) -> Organization:
    """The organization a signed-in user works in: the chosen one, their default, or the first."""
    orgs = organizations_of(user)
    for candidate in (wanted_id, user.default_organization_id):
        if candidate:
            found = orgs.filter(pk=candidate).first()
            if found is not None:
                return found
    first = orgs.order_by("code").first()
    if first is None:
        raise BohError(
            code="no_membership",
            message=_("Your account has no role in any organization."),
            status=403,
        )
    return first
