"""Shared API shapes: strict input schemas, the error body and page-number pagination."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from boh.core.validation import moment_problem


def real_moment(value: Any) -> Any:
    """A date-time a restaurant could have lived (see core.validation.moment_problem)."""
    if isinstance(value, dt.datetime):
        problem = moment_problem(value)
        if problem is not None:
            raise PydanticCustomError(f"datetime_{problem}", "date-time out of range")
    return value


class MomentsChecked(Schema):
    """Every date-time field is checked by real_moment before anything reads it."""

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _real_moments(cls, value: Any) -> Any:
        return real_moment(value)


class StrictSchema(MomentsChecked):
    """Input body: unknown fields are an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class QuerySchema(MomentsChecked):
    """Query-string filters: date-times checked like those of a body."""


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    fields: list[FieldErrorOut]


class Pages(PaginationBase):
    """?page=N&page_size=M (at most API_MAX_PAGE_SIZE); answers items, count, page, page_size."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(50, ge=1, le=settings.API_MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[offset : offset + pagination.page_size],
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


ERRORS: dict[int | tuple[int, ...], Any] = {
    (400, 401, 403, 404, 409, 422, 429): ErrorOut,
}

# Object ids as the database stores them (64-bit); larger numbers are refused at the edge.
ObjId = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
