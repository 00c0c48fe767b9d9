"""URL map: pages, the API, health checks and the language switch."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from boh.api import api
from boh.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("catalog/", include("boh.catalog.urls")),
    path("inventory/", include("boh.inventory.urls")),
    path("inventory/", include("boh.inventory.documents.urls")),
    path("menu/", include("boh.menu.urls")),
    path("purchasing/", include("boh.purchasing.urls")),
    path("sales/", include("boh.sales.urls")),
    path("planning/", include("boh.planning.urls")),
    path("demo/", include("boh.demo.urls")),
    path("", include("boh.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
