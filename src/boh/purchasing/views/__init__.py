"""Pages of the purchasing module, split by subject: suppliers, orders, requisitions,
receiving and returns, invoices, reports."""

from boh.purchasing.views.invoices import (
    exception_queue,
    invoice_detail,
    invoice_list,
    invoice_new,
)
from boh.purchasing.views.orders import (
    order_action,
    order_detail,
    order_edit,
    order_list,
    order_new,
    order_pdf,
)
from boh.purchasing.views.receiving import receipt_screen, receive_start
from boh.purchasing.views.reports import (
    open_orders_report,
    price_variance_report,
    scorecard,
    spend_report,
)
from boh.purchasing.views.requisitions import requisition_list, requisition_new
from boh.purchasing.views.returns import return_detail, return_list, return_new
from boh.purchasing.views.suppliers import (
    delivery_terms,
    supplier_contacts,
    supplier_detail,
    supplier_edit,
    supplier_item_detail,
    supplier_item_new,
    supplier_list,
    supplier_new,
)

__all__ = [
    "delivery_terms",
    "exception_queue",
    "invoice_detail",
    "invoice_list",
    "invoice_new",
    "open_orders_report",
    "order_action",
    "order_detail",
    "order_edit",
    "order_list",
    "order_new",
    "order_pdf",
    "price_variance_report",
    "receipt_screen",
    "receive_start",
    "requisition_list",
    "requisition_new",
    "return_detail",
    "return_list",
    "return_new",
    "scorecard",
    "spend_report",
    "supplier_contacts",
    "supplier_detail",
    "supplier_edit",
    "supplier_item_detail",
    "supplier_item_new",
    "supplier_list",
    "supplier_new",
]
