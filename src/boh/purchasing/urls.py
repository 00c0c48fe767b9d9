"""Pages of the purchasing module."""

from django.urls import path

from boh.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("suppliers/new/", views.supplier_new, name="supplier_new"),
    path("suppliers/<int:supplier_id>/", views.supplier_detail, name="supplier"),
    path("suppliers/<int:supplier_id>/edit/", views.supplier_edit, name="supplier_edit"),
    path(
        "suppliers/<int:supplier_id>/contacts/", views.supplier_contacts, name="supplier_contacts"
    ),
    path(
        "suppliers/<int:supplier_id>/delivery-terms/",
        views.delivery_terms,
        name="delivery_terms",
    ),
    path(
        "suppliers/<int:supplier_id>/items/new/",
        views.supplier_item_new,
        name="supplier_item_new",
    ),
    path(
        "supplier-items/<int:supplier_item_id>/",
        views.supplier_item_detail,
        name="supplier_item",
    ),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/edit/", views.order_edit, name="order_edit"),
    path("orders/<int:order_id>/pdf/", views.order_pdf, name="order_pdf"),
    path("orders/<int:order_id>/<str:action>/", views.order_action, name="order_action"),
    path("requisitions/", views.requisition_list, name="requisitions"),
    path("requisitions/new/", views.requisition_new, name="requisition_new"),
    path("receive/", views.receive_start, name="receive"),
    path("receipts/<int:receipt_id>/", views.receipt_screen, name="receipt"),
    path("returns/", views.return_list, name="returns"),
    path("returns/new/", views.return_new, name="return_new"),
    path("returns/<int:return_id>/", views.return_detail, name="return"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/new/", views.invoice_new, name="invoice_new"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("exceptions/", views.exception_queue, name="exceptions"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("reports/spend/", views.spend_report, name="spend"),
    path("reports/price-variance/", views.price_variance_report, name="price_variance"),
    path("reports/open-orders/", views.open_orders_report, name="open_orders"),
]
