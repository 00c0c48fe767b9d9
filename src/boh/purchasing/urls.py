"""Pages of the purchasing module."""

from django.urls import path

from boh.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("suppliers/", views.supplier_list, name="suppliers"),
    path("suppliers/<int:supplier_id>/", views.supplier_detail, name="supplier"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/edit/", views.order_edit, name="order_edit"),
    path("orders/<int:order_id>/pdf/", views.order_pdf, name="order_pdf"),
    path("orders/<int:order_id>/<str:action>/", views.order_action, name="order_action"),
    path("receive/", views.receive_start, name="receive"),
    path("receipts/<int:receipt_id>/", views.receipt_screen, name="receipt"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/new/", views.invoice_new, name="invoice_new"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("exceptions/", views.exception_queue, name="exceptions"),
    path("scorecard/", views.scorecard, name="scorecard"),
]
