"""The HTTP API at /api/v1: authentication, the one error shape, and every module's router."""


import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from boh.core.errors import BohError
from boh.org.access import active_organization, actor_for_api_key, actor_for_user
from boh.catalog.api import router as catalog_router
from boh.inventory.api import router as inventory_router
from boh.org.api import router as org_router
from boh.org.auth import client_ip
from boh.org.models import ApiKey, User
from boh.org.services import authenticate_api_key

logger = logging.getLogger(__name__)


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: boh_...`, a key created by an organization's admin."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return _key_actor(request, key)


class BearerAuth(HttpBearer):
    """`Authorization: Bearer boh_...`, the same key for clients that prefer bearer tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return _key_actor(request, token)


class BrowserSession(SessionAuth):
    """A signed-in browser session (CSRF-checked on writes), in the chosen organization."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        try:
            org = active_organization(user, request.session.get("org_id"))
        except BohError:
            return None
        request.actor = actor_for_user(user, org, client_ip(request))  # type: ignore[attr-defined]
        return user


def _key_actor(request: HttpRequest, raw: str | None) -> ApiKey | None:
    key = authenticate_api_key(raw or "")
    if key is None:
        if raw:
            logger.warning("refused an unknown or revoked API key from %s", client_ip(request))
        return None
    request.actor = actor_for_api_key(key, client_ip(request))  # type: ignore[attr-defined]
    return key


api = NinjaAPI(
    title="BOH API",
    version="1",
    description=(
        "Back Office Hub for restaurant chains. Authenticate with an API key in `X-API-Key` "
        "(or `Authorization: Bearer`), or a browser session. Errors are "
        "`{code, message, fields}`; send `Idempotency-Key` on POST to make retries safe."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[ApiKeyAuth(), BearerAuth(), BrowserSession()],
)

_PYDANTIC_MESSAGES = {
    "missing": "This field is required.",
    "extra_forbidden": "Unknown field.",
    "json_invalid": "The request body is not valid JSON.",
    "string_too_long": "This value is too long.",
    "string_too_short": "This value is too short.",
}


def _field_message(kind: str) -> str:
    if kind in _PYDANTIC_MESSAGES:
        return _(_PYDANTIC_MESSAGES[kind])
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a valid number.")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("The value is out of range.")
    if kind.startswith(("date", "datetime", "time")):
        return _("Enter a valid date or time.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    return _("This value is not valid.")


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in {"query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def error_response(request: HttpRequest, err: BohError) -> HttpResponse:
    return api.create_response(request, err.as_dict(), status=err.status)


@api.exception_handler(BohError)
def _boh_error(request: HttpRequest, exc: BohError) -> HttpResponse:
    if exc.status >= 400 and exc.status != 404:
        logger.info("refused %s %s: %s", request.method, request.path, exc.code)
    return error_response(request, exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = [
        {
            "field": _field_name(e.get("loc", ())),
            "code": str(e.get("type", "invalid")),
            "message": _field_message(str(e.get("type", ""))),
        }
        for e in exc.errors
    ]
    body = {"code": "invalid", "message": _("Check the highlighted fields."), "fields": fields}
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "not_authenticated",
        "message": _("Sign in, or send a valid API key."),
        "fields": [],
    }
    return api.create_response(request, body, status=401)


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    body = {"code": "permission_denied", "message": _("Your role does not allow this action."), "fields": []}
    return api.create_response(request, body, status=403)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {404: "not_found", 405: "method_not_allowed", 403: "permission_denied"}.get(
        exc.status_code, "bad_request"
    )
    body = {"code": code, "message": str(exc.message), "fields": []}
    return api.create_response(request, body, status=exc.status_code)


api.add_router("/org", org_router)
api.add_router("/catalog", catalog_router)
api.add_router("/inventory", inventory_router)
