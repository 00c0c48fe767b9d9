"""Errors every module raises: a stable code, a translated message, and the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from django.utils.functional import Promise


@dataclass
class FieldError:
    field: str
    code: str
    message: str


@dataclass
class BohError(Exception):
    """A refusal the caller can act on; the API renders it as {code, message, fields}."""

    code: str
    message: str | Promise
    field: str | None = None
    status: int = 400
    fields: list[FieldError] = dc_field(default_factory=list)
    params: dict[str, Any] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(str(self.message))
        if self.field and not self.fields:
            self.fields = [FieldError(self.field, self.code, str(self.message))]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": [
                {"field": f.field, "code": f.code, "message": str(f.message)} for f in self.fields
            ],
        }


def validation_error(code: str, message: str | Promise, field: str | None = None) -> BohError:
    return BohError(code=code, message=message, field=field, status=400)


def not_found(message: str | Promise, code: str = "not_found") -> BohError:
    return BohError(code=code, message=message, status=404)


def permission_denied(message: str | Promise, code: str = "permission_denied") -> BohError:
    return BohError(code=code, message=message, status=403)


def conflict(code: str, message: str | Promise, field: str | None = None) -> BohError:
    return BohError(code=code, message=message, field=field, status=409)


def collect(errors: list[FieldError], message: str | Promise, code: str = "invalid") -> BohError:
    """One error carrying several field errors, for forms and batches."""
    return BohError(code=code, message=message, fields=errors, status=400)
