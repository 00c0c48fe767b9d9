"""Pages of inventory documents: waste log, transfers and stocktakes."""

from django.urls import path

from boh.inventory.documents import views

app_name = "inventory_docs"
urlpatterns = [
    path("items/lookup/", views.item_lookup, name="item_lookup"),
    path("waste/", views.waste_list, name="waste_list"),
    path("waste/new/", views.waste_new, name="waste_new"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:transfer_id>/ship/", views.transfer_ship, name="transfer_ship"),
    path("transfers/<int:transfer_id>/receive/", views.transfer_receive, name="transfer_receive"),
    path(
        "transfers/<int:transfer_id>/<slug:action>/",
        views.transfer_action,
        name="transfer_action",
    ),
    path("stocktakes/", views.stocktake_list, name="stocktakes"),
    path("stocktakes/<int:stocktake_id>/", views.stocktake_sheet, name="stocktake_sheet"),
    path(
        "stocktakes/<int:stocktake_id>/lines/<int:line_id>/",
        views.stocktake_count,
        name="stocktake_count",
    ),
    path("stocktakes/<int:stocktake_id>/add/", views.stocktake_add, name="stocktake_add"),
    path("stocktakes/<int:stocktake_id>/review/", views.stocktake_review, name="stocktake_review"),
    path(
        "stocktakes/<int:stocktake_id>/<slug:action>/",
        views.stocktake_action,
        name="stocktake_action",
    ),
]
