"""Pages of the catalog module."""

from django.urls import path

from boh.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/packs/", views.pack_add, name="pack_add"),
    path(
        "items/<int:item_id>/packs/<int:pack_id>/delete/",
        views.pack_delete,
        name="pack_delete",
    ),
    path("items/<int:item_id>/barcodes/", views.barcode_add, name="barcode_add"),
    path(
        "items/<int:item_id>/barcodes/<int:barcode_id>/delete/",
        views.barcode_delete,
        name="barcode_delete",
    ),
    path("categories/", views.category_list, name="categories"),
    path("categories/<int:category_id>/", views.category_edit, name="category_edit"),
    path("categories/<int:category_id>/delete/", views.category_delete, name="category_delete"),
    path("storage-areas/", views.storage_area_list, name="storage_areas"),
    path(
        "storage-areas/<int:area_id>/up/",
        views.storage_area_move,
        {"step": -1},
        name="storage_area_up",
    ),
    path(
        "storage-areas/<int:area_id>/down/",
        views.storage_area_move,
        {"step": 1},
        name="storage_area_down",
    ),
    path(
        "storage-areas/<int:area_id>/deactivate/",
        views.storage_area_set_active,
        {"active": False},
        name="storage_area_deactivate",
    ),
    path(
        "storage-areas/<int:area_id>/activate/",
        views.storage_area_set_active,
        {"active": True},
        name="storage_area_activate",
    ),
]
