"""API shapes of the org module."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from boh.core.schemas import ObjId, StrictSchema


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    currency: str
    time_zone: str
    country: str
    negative_stock: str
    valuation: str


class OrganizationPatch(StrictSchema):
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    time_zone: str | None = Field(None, max_length=64)
    negative_stock: str | None = Field(None, max_length=10)
    valuation: str | None = Field(None, max_length=10)


class RegionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    depth: int


class RegionIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    parent_id: ObjId | None = None


class RegionPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    parent_id: ObjId | None = None


class LocationOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    region_id: int | None
    address: str
    time_zone: str
    currency: str
    day_cutoff_hour: int
    is_active: bool


class LocationIn(StrictSchema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=200)
    name_en: str = Field("", max_length=200)
    kind: str = Field("store", max_length=20)
    region_id: ObjId | None = None
    address: str = Field("", max_length=500)
    time_zone: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, max_length=3)
    day_cutoff_hour: int = Field(4, ge=0, le=12)


class LocationPatch(StrictSchema):
    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    region_id: ObjId | None = None
    address: str | None = Field(None, max_length=500)
    time_zone: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, max_length=3)
    day_cutoff_hour: int | None = Field(None, ge=0, le=12)
    is_active: bool | None = None


class RoleGrantOut(Schema):
    id: int
    user_id: int
    role: str
    region_id: int | None
    location_id: int | None


class RoleGrantIn(StrictSchema):
    user_id: ObjId
    role: str = Field(..., max_length=20)
    region_id: ObjId | None = None
    location_id: ObjId | None = None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    language: str
    is_active: bool
    last_login: datetime | None


class UserIn(StrictSchema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=128)
    email: str = Field("", max_length=254)
    display_name: str = Field("", max_length=150)
    language: str = Field("", max_length=10)
    role: str = Field(..., max_length=20)
    region_id: ObjId | None = None
    location_id: ObjId | None = None


class UserPatch(StrictSchema):
    email: str | None = Field(None, max_length=254)
    display_name: str | None = Field(None, max_length=150)
    language: str | None = Field(None, max_length=10)
    is_active: bool | None = None


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    role: str
    region_id: int | None
    location_id: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIn(StrictSchema):
    name: str = Field(..., max_length=100)
    role: str = Field(..., max_length=20)
    region_id: ObjId | None = None
    location_id: ObjId | None = None


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = Field(..., description="Shown once; store it now, it cannot be read again.")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor_user_id: int | None
    actor_api_key_id: int | None
    actor_name: str
    ip: str | None
    action: str
    verb: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, list[object]]


class MeOut(Schema):
    user_id: int | None
    api_key_id: int | None
    organization: OrganizationOut
    roles: list[str]
    permissions: list[str]
