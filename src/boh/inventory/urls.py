"""Pages of the inventory module (documents add theirs in documents/urls.py)."""

from django.urls import path

from boh.inventory import views

app_name = "inventory"
urlpatterns = [
    path("on-hand/", views.on_hand, name="on_hand"),
    path(
        "on-hand/<int:location_id>/items/<int:item_id>/",
        views.item_moves,
        name="item_moves",
    ),
]
