"""The API's edge: strict JSON parsing and the one error shape {code, message, fields}.

Kept in core (not in boh/api.py) so that its messages are extracted into core's
translations like every other user-facing string.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser

from boh.core.errors import BohError, FieldError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

INVALID_JSON = "invalid_json"
INVALID_TEXT = "invalid_text"


def _bad_strings(value: Any, path: str) -> Iterator[str]:
    """Paths of strings that no database column can hold: NUL bytes and lone surrogates."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _bad_strings(key, path)
            yield from _bad_strings(item, f"{path}.{key}" if path != "body" else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _bad_strings(item, f"{path}.{i}" if path != "body" else str(i))


def _refuse_text(paths: list[str]) -> BohError:
    message = _("Text may not contain NUL bytes or unpaired surrogates.")
    return BohError(
        code=INVALID_TEXT,
        message=message,
        fields=[FieldError(p, INVALID_TEXT, message) for p in dict.fromkeys(paths)],
        status=400,
    )


def _number(literal: str) -> float | Decimal:
    """A JSON number: a float when that keeps its exact value, else the exact Decimal.

    Quantities and money arrive as JSON numbers too; 123456789012345.123 as a float would
    silently become ...5.125, so a number a float cannot hold stays exact.
    """
    as_float = float(literal)
    exact = Decimal(literal)
    if math.isfinite(as_float) and Decimal(repr(as_float)) == exact:
        return as_float
    return exact


class StrictJsonParser(Parser):
    """JSON bodies and query strings, refusing text that cannot be stored."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_float=_number)
        bad = list(_bad_strings(data, "body"))
        if bad:
            raise _refuse_text(bad)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        bad = [key for key, values in data.lists() if any("\x00" in str(v) for v in values)]
        if bad:
            raise _refuse_text(bad)
        return super().parse_querydict(data, list_fields, request)


def _field_message(kind: str) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "string_too_long":
        return _("This value is too long.")
    if kind == "string_too_short":
        return _("This value is too short.")
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a valid number.")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("The value is out of range.")
    if kind in {"datetime_offset", "datetime_year"}:
        return _("This date and time is out of range.")
    if kind.startswith(("date", "datetime", "time")):
        return _("Enter a valid date or time.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    return _("This value is not valid.")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """The field a pydantic error location points at, as the client named it."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        # ("body", "<parameter name>", field, ...): the parameter name is ours, not the client's.
        parts = parts[2:]
        return ".".join(parts) or "body"
    if parts and parts[0] in {"query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _body(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or []}


def install_error_handlers(api: NinjaAPI) -> None:
    """Render every refusal of the API as {code, message, fields} in the caller's language."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(BohError)
    def _boh_error(request: HttpRequest, exc: BohError) -> HttpResponse:
        if exc.status != 404:
            logger.info("refused %s %s: %s", request.method, request.path, exc.code)
        return respond(request, exc.as_dict(), exc.status)

    @api.exception_handler(ValidationError)
    def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {
                "field": field_name(e.get("loc", ())),
                "code": str(e.get("type", "invalid")),
                "message": _field_message(str(e.get("type", ""))),
            }
            for e in exc.errors
        ]
        return respond(request, _body("invalid", _("Check the highlighted fields."), fields), 400)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("Sign in, or send a valid API key.")
        return respond(request, _body("not_authenticated", message), 401)

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        message = _("Your role does not allow this action.")
        return respond(request, _body("permission_denied", message), 403)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, _body("not_found", _("Not found.")), 404)

    @api.exception_handler(MultiPartParserError)
    def _unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        message = _("The request body cannot be read as form data.")
        field = {"field": "body", "code": "invalid_body", "message": message}
        return respond(request, _body("invalid_body", message, [field]), 400)

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, _body("body_too_large", _("The request body is too large.")), 400)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, BohError):
            return respond(request, cause.as_dict(), cause.status)
        if exc.status_code == 400 and cause is not None:
            message = _("The request body is not valid JSON.")
            field = {"field": "body", "code": INVALID_JSON, "message": message}
            return respond(request, _body(INVALID_JSON, message, [field]), 400)
        if exc.status_code == 403:
            message = _("The CSRF token is missing or wrong; reload the page and try again.")
            return respond(request, _body("csrf_failed", message), 403)
        code = {404: "not_found", 405: "method_not_allowed", 429: "too_many_requests"}.get(
            exc.status_code, "bad_request"
        )
        return respond(request, _body(code, _("The request was refused.")), exc.status_code)
