"""Reads of the org module, scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from boh.core.errors import not_found, validation_error
from boh.core.models import AuditEntry
from boh.org.access import Actor
from boh.org.models import ApiKey, Location, Membership, Region, User
from boh.org.roles import Perm


def regions(actor: Actor) -> QuerySet[Region]:
    """Regions of the actor's organization, in tree order."""
    return actor.scope(Region.objects.all(), Perm.ORG_VIEW).order_by("path")


def locations(
    actor: Actor, *, kind: str | None = None, active: bool | None = None
) -> QuerySet[Location]:
    """Locations the actor's roles reach."""
    qs = actor.scope(Location.objects.select_related("region"), Perm.ORG_VIEW, "id")
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("code")


def members(actor: Actor) -> QuerySet[User]:
    """Users holding any role in the actor's organization."""
    actor.require(Perm.USERS_MANAGE)
    return (
        User.objects.filter(memberships__organization=actor.organization)
        .distinct()
        .order_by("username")
    )


def member(actor: Actor, user_id: int, *, field: str | None = None) -> User:
    """One member of the actor's organization; 404, or 400 on field when named in a body."""
    try:
        return members(actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        if field is not None:
            raise validation_error("not_found", _("No such user."), field) from None
        raise not_found(_("Not found.")) from None


def role_grants(actor: Actor, user: User | None = None) -> QuerySet[Membership]:
    """Role grants in the actor's organization, optionally of one user."""
    actor.require(Perm.USERS_MANAGE)
    qs = Membership.objects.filter(organization=actor.organization).select_related(
        "user", "region", "location"
    )
    if user is not None:
        qs = qs.filter(user=user)
    return qs.order_by("user__username", "id")


def api_keys(actor: Actor) -> QuerySet[ApiKey]:
    """API keys of the actor's organization, newest first."""
    actor.require(Perm.API_KEYS_MANAGE)
    return ApiKey.objects.filter(organization=actor.organization).select_related(
        "region", "location"
    )


def audit_trail(
    actor: Actor,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    user_id: int | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries of the actor's organization, per record or per user, newest first."""
    actor.require(Perm.AUDIT_VIEW)
    qs = AuditEntry.objects.filter(organization_id=actor.organization_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if user_id is not None:
        qs = qs.filter(actor_user_id=user_id)
    return qs.order_by("-at", "-id")
