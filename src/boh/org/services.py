"""Writes of the org module: organizations, regions, locations, users, role grants, API keys."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boh.core.errors import conflict, validation_error
from boh.core.models import AuditEntry
from boh.core.services import emit_event, record_audit, snapshot
from boh.core.validation import Checker
from boh.org import errors
from boh.org.access import Actor, system_actor
from boh.org.models import ApiKey, Location, Membership, Organization, Region, User
from boh.org.roles import Perm, Role

logger = logging.getLogger(__name__)

API_KEY_PREFIX = "boh_"
# Region paths list every ancestor's id; this keeps the deepest one within the column.
MAX_REGION_DEPTH = 20
LOCATION_FIELDS = {
    "code",
    "name",
    "name_en",
    "kind",
    "address",
    "time_zone",
    "currency",
    "day_cutoff_hour",
    "region_id",
    "is_active",
}


def _check_location_values(actor: Actor, values: dict[str, Any], check: Checker) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "code" in values:
        clean["code"] = check.code("code", values["code"])
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "kind" in values:
        clean["kind"] = check.choice("kind", values["kind"], set(Location.Kind.values))
    if "address" in values:
        clean["address"] = check.text("address", values["address"], max_length=500, required=False)
    if "time_zone" in values:
        clean["time_zone"] = check.time_zone("time_zone", values["time_zone"])
    if "currency" in values:
        currency = check.text("currency", values["currency"], max_length=3).upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            check.fail("currency", "invalid_currency", _("Use a three-letter ISO 4217 code."))
        clean["currency"] = currency
    if "day_cutoff_hour" in values:
        clean["day_cutoff_hour"] = check.integer(
            "day_cutoff_hour", values["day_cutoff_hour"], minimum=0, maximum=12
        )
    if "region_id" in values:
        region_id = values["region_id"]
        if (
            region_id is not None
            and not Region.objects.filter(organization=actor.organization, pk=region_id).exists()
        ):
            check.fail("region_id", "not_found", _("No such region."))
        clean["region_id"] = region_id
    if "is_active" in values:
        clean["is_active"] = _check_flag(check, "is_active", values["is_active"])
    return clean


def _check_flag(check: Checker, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        check.fail(field, "invalid_boolean", _("Enter true or false."))
        return False
    return value


def _check_email(check: Checker, email: str) -> None:
    if not email:
        return
    try:
        validate_email(email)
    except ValidationError:
        check.fail("email", "invalid_email", _("Enter a valid email address."))


def _check_username(check: Checker, username: str) -> None:
    if username and not check.has("username"):
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            check.fail(
                "username",
                "invalid_username",
                _("Use letters, digits and @ . + - _ only."),
            )


@dataclass(frozen=True)
class _Self:
    """A person acting on their own account, outside any organization's role."""

    user: User

    @property
    def organization_id(self) -> int | None:
        return self.user.default_organization_id

    @property
    def user_id(self) -> int | None:
        return self.user.pk

    @property
    def api_key_id(self) -> int | None:
        return None

    @property
    def display_name(self) -> str:
        return self.user.username

    @property
    def ip(self) -> str | None:
        return None


def create_organization(
    *,
    code: str,
    name: str,
    name_en: str = "",
    currency: str = "CNY",
    time_zone: str = "Asia/Shanghai",
    country: str = "CN",
) -> Organization:
    """Create a tenant; used by the command line and the demo loader."""
    check = Checker()
    code = check.code("code", code)
    name = check.text("name", name, max_length=200)
    time_zone = check.time_zone("time_zone", time_zone)
    check.raise_if_any()
    if Organization.objects.filter(code__iexact=code).exists():
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")

    with transaction.atomic():
        org = Organization.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            currency=currency.upper(),
            time_zone=time_zone,
            country=country.upper(),
        )
        record_audit(system_actor(org), AuditEntry.Action.CREATE, org)
    logger.info("created organization %s", org.code)
    return org


def update_organization(actor: Actor, **values: Any) -> Organization:
    """Change an organization's settings (names, currency, stock policies)."""
    actor.require(Perm.ORG_MANAGE)
    org = actor.organization
    check = Checker()
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        clean["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    if "time_zone" in values:
        clean["time_zone"] = check.time_zone("time_zone", values["time_zone"])
    if "negative_stock" in values:
        clean["negative_stock"] = check.choice(
            "negative_stock", values["negative_stock"], {"refuse", "allow"}
        )
    if "valuation" in values:
        clean["valuation"] = check.choice("valuation", values["valuation"], {"average", "fifo"})
    check.raise_if_any()

    with transaction.atomic():
        before = snapshot(org)
        for key, value in clean.items():
            setattr(org, key, value)
        org.save()
        record_audit(actor, AuditEntry.Action.UPDATE, org, before=before)
    return org


def create_region(
    actor: Actor, *, code: str, name: str, name_en: str = "", parent_id: int | None = None
) -> Region:
    """Add a node to the region tree, under parent_id or at the top."""
    actor.require(Perm.ORG_MANAGE)
    check = Checker()
    code = check.code("code", code)
    name = check.text("name", name, max_length=200)
    name_en = check.text("name_en", name_en, max_length=200, required=False)
    parent = None
    if parent_id is not None:
        parent = Region.objects.filter(organization=actor.organization, pk=parent_id).first()
        if parent is None:
            check.fail("parent_id", "not_found", _("No such region."))
        elif parent.depth + 1 >= MAX_REGION_DEPTH:
            _fail_too_deep(check)
    check.raise_if_any()
    if Region.objects.filter(organization=actor.organization, code__iexact=code).exists():
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")

    try:
        with transaction.atomic():
            region = Region.objects.create(
                organization=actor.organization,
                parent=parent,
                code=code,
                name=name,
                name_en=name_en,
                path="",
                depth=(parent.depth + 1) if parent else 0,
            )
            region.path = f"{parent.path if parent else '/'}{region.pk}/"
            region.save(update_fields=["path"])
            record_audit(actor, AuditEntry.Action.CREATE, region)
    except IntegrityError:
        # Another request took the code between the check and the insert.
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code") from None
    return region


def _fail_too_deep(check: Checker) -> None:
    check.fail(
        "parent_id",
        errors.REGION_TOO_DEEP,
        _("Regions can be nested at most %(n)d levels deep.") % {"n": MAX_REGION_DEPTH},
    )


def update_region(actor: Actor, region: Region, **values: Any) -> Region:
    """Rename a region or move it (with its subtree) under another parent."""
    actor.require(Perm.ORG_MANAGE)
    check = Checker()
    if "code" in values:
        values["code"] = check.code("code", values["code"])
    if "name" in values:
        values["name"] = check.text("name", values["name"], max_length=200)
    if "name_en" in values:
        values["name_en"] = check.text("name_en", values["name_en"], max_length=200, required=False)
    new_parent: Region | None = region.parent
    if "parent_id" in values:
        parent_id = values.pop("parent_id")
        new_parent = None
        if parent_id is not None:
            new_parent = Region.objects.filter(
                organization=actor.organization, pk=parent_id
            ).first()
            if new_parent is None:
                check.fail("parent_id", "not_found", _("No such region."))
            elif new_parent.path.startswith(region.path):
                check.fail(
                    "parent_id",
                    errors.REGION_CYCLE,
                    _("A region cannot be moved under itself or its own sub-regions."),
                )
        subtree_below = _subtree_height(region)
        if not check.has("parent_id") and (
            (new_parent.depth + 1 if new_parent else 0) + subtree_below >= MAX_REGION_DEPTH
        ):
            _fail_too_deep(check)
    check.raise_if_any()
    if (
        "code" in values
        and Region.objects.filter(organization=actor.organization, code__iexact=values["code"])
        .exclude(pk=region.pk)
        .exists()
    ):
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")

    try:
        with transaction.atomic():
            before = snapshot(region)
            for key in ("code", "name", "name_en"):
                if key in values:
                    setattr(region, key, values[key])
            if new_parent != region.parent:
                old_path = region.path
                new_path = f"{new_parent.path if new_parent else '/'}{region.pk}/"
                depth_shift = ((new_parent.depth + 1) if new_parent else 0) - region.depth
                region.parent = new_parent
                for node in Region.objects.filter(
                    organization=actor.organization, path__startswith=old_path
                ).exclude(pk=region.pk):
                    node.path = new_path + node.path[len(old_path) :]
                    node.depth += depth_shift
                    node.save(update_fields=["path", "depth"])
                region.path = new_path
                region.depth += depth_shift
            region.save()
            record_audit(actor, AuditEntry.Action.UPDATE, region, before=before)
    except IntegrityError:
        # Another request took the code between the check and the insert.
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code") from None
    return region


def _subtree_height(region: Region) -> int:
    deepest = (
        Region.objects.filter(organization_id=region.organization_id, path__startswith=region.path)
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
    )
    return (deepest or region.depth) - region.depth


def delete_region(actor: Actor, region: Region) -> None:
    """Remove an empty region: no sub-regions, locations or role grants."""
    actor.require(Perm.ORG_MANAGE)
    if (
        region.children.exists()
        or region.locations.exists()
        or Membership.objects.filter(region=region).exists()
        or ApiKey.objects.filter(region=region).exists()
    ):
        raise conflict(
            errors.REGION_IN_USE,
            _("This region still has sub-regions, locations or role grants."),
        )
    with transaction.atomic():
        record_audit(actor, AuditEntry.Action.DELETE, region, before=snapshot(region))
        region.delete()


def create_location(actor: Actor, **values: Any) -> Location:
    """Open a store, central kitchen, warehouse or office."""
    actor.require(Perm.ORG_MANAGE)
    values = {
        "name_en": "",
        "kind": Location.Kind.STORE,
        "address": "",
        "time_zone": actor.organization.time_zone,
        "currency": actor.organization.currency,
        "day_cutoff_hour": 4,
        "region_id": None,
        **values,
    }
    unknown = set(values) - LOCATION_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    check = Checker()
    clean = _check_location_values(actor, values, check)
    check.raise_if_any()
    if Location.objects.filter(
        organization=actor.organization, code__iexact=clean["code"]
    ).exists():
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")

    try:
        with transaction.atomic():
            location = Location.objects.create(organization=actor.organization, **clean)
            record_audit(actor, AuditEntry.Action.CREATE, location)
            emit_event(
                "org.location_created",
                {"location_id": location.pk, "kind": location.kind},
                organization_id=actor.organization_id,
                actor=actor,
            )
    except IntegrityError:
        # Another request took the code between the check and the insert.
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code") from None
    logger.info("created location %s in %s", location.code, actor.organization.code)
    return location


def update_location(actor: Actor, location: Location, **values: Any) -> Location:
    """Change a location's details; deactivating keeps its history."""
    actor.require(Perm.ORG_MANAGE)
    unknown = set(values) - LOCATION_FIELDS
    if unknown:
        raise validation_error("unknown_field", _("Unknown field."), sorted(unknown)[0])
    check = Checker()
    clean = _check_location_values(actor, values, check)
    check.raise_if_any()
    if (
        "code" in clean
        and Location.objects.filter(organization=actor.organization, code__iexact=clean["code"])
        .exclude(pk=location.pk)
        .exists()
    ):
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code")

    try:
        with transaction.atomic():
            before = snapshot(location)
            for key, value in clean.items():
                setattr(location, key, value)
            location.save()
            record_audit(actor, AuditEntry.Action.UPDATE, location, before=before)
    except IntegrityError:
        # Another request took the code between the check and the insert.
        raise conflict(errors.DUPLICATE_CODE, _("This code is already in use."), "code") from None
    return location


def _check_password(check: Checker, field: str, password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        check.fail(field, errors.WEAK_PASSWORD, " ".join(str(m) for m in exc.messages))


def create_user(
    actor: Actor,
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    language: str = "",
    role: str,
    region_id: int | None = None,
    location_id: int | None = None,
) -> User:
    """Create a person's account with a first role in the actor's organization."""
    actor.require(Perm.USERS_MANAGE)
    check = Checker()
    username = check.text("username", username, max_length=150)
    _check_username(check, username)
    display_name = check.text("display_name", display_name, max_length=150, required=False)
    email = check.text("email", email, max_length=254, required=False)
    _check_email(check, email)
    if language:
        check.choice("language", language, {"zh-hans", "en"})
    _check_password(check, "password", password, None)
    _check_grant(actor, check, role, region_id, location_id)
    check.raise_if_any()
    if User.objects.filter(username__iexact=username).exists():
        raise conflict(errors.DUPLICATE_USERNAME, _("This username is taken."), "username")

    try:
        with transaction.atomic():
            user = User(
                username=username,
                email=email,
                display_name=display_name,
                language=language,
                default_organization=actor.organization,
            )
            user.set_password(password)
            user.save()
            record_audit(
                actor, AuditEntry.Action.CREATE, user, organization_id=actor.organization_id
            )
            _create_grant(actor, user, role, region_id, location_id)
    except IntegrityError:
        raise conflict(
            errors.DUPLICATE_USERNAME, _("This username is taken."), "username"
        ) from None
    logger.info("created user %s in %s", user.pk, actor.organization.code)
    return user


def update_user(actor: Actor, user: User, **values: Any) -> User:
    """Change a member's name, email, language or active flag."""
    actor.require(Perm.USERS_MANAGE)
    check = Checker()
    clean: dict[str, Any] = {}
    if "display_name" in values:
        clean["display_name"] = check.text(
            "display_name", values["display_name"], max_length=150, required=False
        )
    if "email" in values:
        clean["email"] = check.text("email", values["email"], max_length=254, required=False)
        _check_email(check, clean["email"])
    if "language" in values:
        clean["language"] = values["language"] or ""
        if clean["language"]:
            check.choice("language", clean["language"], {"zh-hans", "en"})
    if "is_active" in values:
        clean["is_active"] = _check_flag(check, "is_active", values["is_active"])
        if user.pk == actor.user_id and values["is_active"] is False:
            check.fail("is_active", "self_deactivate", _("You cannot deactivate yourself."))
    check.raise_if_any()

    with transaction.atomic():
        before = snapshot(user)
        for key, value in clean.items():
            setattr(user, key, value)
        user.save()
        record_audit(
            actor,
            AuditEntry.Action.UPDATE,
            user,
            before=before,
            organization_id=actor.organization_id,
        )
    return user


def _check_grant(
    actor: Actor, check: Checker, role: str, region_id: int | None, location_id: int | None
) -> None:
    check.choice("role", role, set(Role.values))
    if role == Role.INTEGRATION:
        check.fail("role", "api_only_role", _("The integration role is for API keys only."))
    if region_id is not None and location_id is not None:
        check.fail(
            "location_id",
            errors.INVALID_SCOPE,
            _("Grant a role for a region or for a location, not both."),
        )
    if (
        region_id is not None
        and not Region.objects.filter(organization=actor.organization, pk=region_id).exists()
    ):
        check.fail("region_id", "not_found", _("No such region."))
    if (
        location_id is not None
        and not Location.objects.filter(organization=actor.organization, pk=location_id).exists()
    ):
        check.fail("location_id", "not_found", _("No such location."))


def _create_grant(
    actor: Actor, user: User, role: str, region_id: int | None, location_id: int | None
) -> Membership:
    membership = Membership.objects.create(
        organization=actor.organization,
        user=user,
        role=role,
        region_id=region_id,
        location_id=location_id,
    )
    record_audit(actor, AuditEntry.Action.CREATE, membership)
    return membership


def grant_role(
    actor: Actor,
    user: User,
    *,
    role: str,
    region_id: int | None = None,
    location_id: int | None = None,
) -> Membership:
    """Give a user a role for the whole organization, a region or a location."""
    actor.require(Perm.USERS_MANAGE)
    check = Checker()
    _check_grant(actor, check, role, region_id, location_id)
    check.raise_if_any()
    scope: dict[str, Any] = {"region_id": region_id, "location_id": location_id}
    existing = Membership.objects.filter(
        organization=actor.organization, user=user, role=role, **scope
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        return _create_grant(actor, user, role, region_id, location_id)


def revoke_role(actor: Actor, membership: Membership) -> None:
    """Take a role grant away; the last org-wide owner cannot be removed."""
    actor.require(Perm.USERS_MANAGE)
    with transaction.atomic():
        if (
            membership.role == Role.OWNER
            and membership.region_id is None
            and (membership.location_id is None)
        ):
            # Locked so that two owners revoking each other at once cannot both succeed.
            owners = list(
                Membership.objects.select_for_update()
                .filter(
                    organization=actor.organization, role=Role.OWNER, region=None, location=None
                )
                .values_list("pk", flat=True)
            )
            if owners == [membership.pk] or not owners:
                raise conflict(
                    errors.LAST_OWNER, _("The organization must keep at least one owner.")
                )
        record_audit(actor, AuditEntry.Action.DELETE, membership, before=snapshot(membership))
        membership.delete()


def add_owner(organization: Organization, user: User) -> Membership:
    """Make user an owner of organization; used when creating an organization from the CLI."""
    actor = system_actor(organization)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organization=organization,
            user=user,
            role=Role.OWNER,
            region=None,
            location=None,
        )
        if created:
            record_audit(actor, AuditEntry.Action.CREATE, membership)
        if user.default_organization_id is None:
            user.default_organization = organization
            user.save(update_fields=["default_organization"])
    return membership


def create_account(
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    language: str = "",
) -> User:
    """Create a sign-in account with no role yet (command line, demo loader)."""
    check = Checker()
    username = check.text("username", username, max_length=150)
    _check_username(check, username)
    _check_password(check, "password", password, None)
    check.raise_if_any()
    if User.objects.filter(username__iexact=username).exists():
        raise conflict(errors.DUPLICATE_USERNAME, _("This username is taken."), "username")
    with transaction.atomic():
        user = User(username=username, email=email, display_name=display_name, language=language)
        user.set_password(password)
        user.save()
        record_audit(None, AuditEntry.Action.CREATE, user)
    return user


def change_password(user: User, *, old_password: str, new_password: str) -> None:
    """A user changes their own password, proving the old one."""
    check = Checker()
    if not user.check_password(old_password):
        check.fail("old_password", errors.WRONG_PASSWORD, _("Your current password is wrong."))
    _check_password(check, "new_password", new_password, user)
    check.raise_if_any()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record_audit(_Self(user), AuditEntry.Action.ACTION, user, verb="password_changed", after={})
    logger.info("user %s changed their password", user.pk)


def set_language(user: User, language: str) -> None:
    """Remember a user's chosen language."""
    if language not in {"zh-hans", "en"}:
        raise validation_error("invalid_choice", _("Unknown language."), "language")
    if user.language != language:
        with transaction.atomic():
            before = snapshot(user, ["language"])
            user.language = language
            user.save(update_fields=["language"])
            record_audit(
                _Self(user),
                AuditEntry.Action.UPDATE,
                user,
                before=before,
                after=snapshot(user, ["language"]),
            )


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_api_key(
    actor: Actor,
    *,
    name: str,
    role: str,
    region_id: int | None = None,
    location_id: int | None = None,
) -> tuple[ApiKey, str]:
    """Issue a key for another system; the raw key is returned once and never stored."""
    actor.require(Perm.API_KEYS_MANAGE)
    check = Checker()
    name = check.text("name", name, max_length=100)
    check.choice("role", role, set(Role.values))
    if role == Role.OWNER:
        check.fail("role", "role_not_for_keys", _("API keys cannot hold the owner role."))
    if region_id is not None and location_id is not None:
        check.fail(
            "location_id",
            errors.INVALID_SCOPE,
            _("Scope a key to a region or a location, not both."),
        )
    if (
        region_id is not None
        and not Region.objects.filter(organization=actor.organization, pk=region_id).exists()
    ):
        check.fail("region_id", "not_found", _("No such region."))
    if (
        location_id is not None
        and not Location.objects.filter(organization=actor.organization, pk=location_id).exists()
    ):
        check.fail("location_id", "not_found", _("No such location."))
    check.raise_if_any()

    secret = secrets.token_urlsafe(32)
    prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}{prefix}_{secret}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            organization=actor.organization,
            name=name,
            prefix=prefix,
            key_hash=_hash_key(raw),
            role=role,
            region_id=region_id,
            location_id=location_id,
            created_by=actor.user,
        )
        record_audit(actor, AuditEntry.Action.CREATE, key)
    logger.info("created API key %s in %s", key.prefix, actor.organization.code)
    return key, raw


def revoke_api_key(actor: Actor, key: ApiKey) -> ApiKey:
    """Revoke a key at once; requests with it are refused from now on."""
    actor.require(Perm.API_KEYS_MANAGE)
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        before = snapshot(key)
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_audit(actor, AuditEntry.Action.UPDATE, key, before=before, verb="revoked")
    logger.info("revoked API key %s", key.prefix)
    return key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key for a raw key string, recording when it was last used."""
    if not raw.startswith(API_KEY_PREFIX) or len(raw) > 200:
        return None
    key = (
        ApiKey.objects.select_related("organization", "region")
        .filter(key_hash=_hash_key(raw), revoked_at__isnull=True, organization__is_active=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    # Written at most once a minute per key, so busy integrations do not write on every call.
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
