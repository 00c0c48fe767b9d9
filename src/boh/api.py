"""The HTTP API at /api/v1: authentication, the one error shape, and every module's router."""

import logging
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from boh.catalog.api import router as catalog_router
from boh.core.errors import BohError
from boh.core.http import StrictJsonParser, install_error_handlers
from boh.demo.api import router as demo_router
from boh.inventory.api import router as inventory_router
from boh.inventory.documents.api import router as inventory_documents_router
from boh.menu.api import router as menu_router
from boh.org.access import active_organization, actor_for_api_key, actor_for_user
from boh.org.api import router as org_router
from boh.org.auth import client_ip
from boh.org.models import ApiKey, User
from boh.org.services import authenticate_api_key
from boh.planning.api import router as planning_router
from boh.purchasing.api import router as purchasing_router
from boh.sales.api import router as sales_router

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

    def __call__(self, request: HttpRequest) -> Any:
        # Without a signed-in user there is nothing to protect from CSRF: the caller gets 401
        # (not a CSRF 403) when it sent no credentials at all.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

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
    parser=StrictJsonParser(),
)

install_error_handlers(api)

api.add_router("/org", org_router)
api.add_router("/catalog", catalog_router)
api.add_router("/inventory", inventory_router)
api.add_router("/inventory", inventory_documents_router)
api.add_router("/menu", menu_router)
api.add_router("/purchasing", purchasing_router)
api.add_router("/sales", sales_router)
api.add_router("/planning", planning_router)
api.add_router("/demo", demo_router)
