"""Writes of the purchasing module, split by subject.

suppliers.py (suppliers, contacts, delivery terms, supplier items, prices, settings),
orders.py (orders, approval, requisitions), transitions.py (the order lifecycle table),
sending.py (order PDF and email, internal orders), receiving.py (receipts and returns),
invoices.py (supplier invoices, three-way match, exceptions, payables).
"""

from boh.purchasing.services.approvals import (
    create_approval_rule,
    delete_approval_rule,
    update_approval_rule,
)
from boh.purchasing.services.common import is_valid_tax_id
from boh.purchasing.services.internal import ship_internal_order
from boh.purchasing.services.invoices import due_date, enter_invoice, resolve_exception
from boh.purchasing.services.orders import (
    approval_limit,
    approve_order,
    cancel_order,
    close_order,
    create_order,
    reject_order,
    submit_order,
    update_order,
)
from boh.purchasing.services.prices import price_per_pack, set_price, set_prices
from boh.purchasing.services.receiving import (
    post_receipt,
    receive_delivery,
    record_receipt_line,
    remove_receipt_line,
    start_receipt,
)
from boh.purchasing.services.requisitions import (
    consolidate_requisitions,
    create_order_from_suggestion,
    submit_requisition,
)
from boh.purchasing.services.returns import return_to_supplier
from boh.purchasing.services.sending import send_order
from boh.purchasing.services.suppliers import (
    add_contact,
    create_supplier,
    create_supplier_item,
    remove_contact,
    set_delivery_terms,
    set_preferred_supplier,
    update_settings,
    update_supplier,
    update_supplier_item,
)
from boh.purchasing.services.transitions import TRANSITIONS, allowed_actions, next_status

__all__ = [
    "TRANSITIONS",
    "add_contact",
    "allowed_actions",
    "approval_limit",
    "approve_order",
    "cancel_order",
    "close_order",
    "consolidate_requisitions",
    "create_approval_rule",
    "create_order",
    "create_order_from_suggestion",
    "create_supplier",
    "create_supplier_item",
    "delete_approval_rule",
    "due_date",
    "enter_invoice",
    "is_valid_tax_id",
    "next_status",
    "post_receipt",
    "price_per_pack",
    "receive_delivery",
    "record_receipt_line",
    "reject_order",
    "remove_contact",
    "remove_receipt_line",
    "resolve_exception",
    "return_to_supplier",
    "send_order",
    "set_delivery_terms",
    "set_preferred_supplier",
    "set_price",
    "set_prices",
    "ship_internal_order",
    "start_receipt",
    "submit_order",
    "submit_requisition",
    "update_approval_rule",
    "update_order",
    "update_settings",
    "update_supplier",
    "update_supplier_item",
]
