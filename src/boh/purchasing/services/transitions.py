"""The order lifecycle: which action is allowed in which status, and where it leads."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.core.errors import BohError
from boh.purchasing import errors
from boh.purchasing.models import OrderStatus, PurchaseOrder

S = OrderStatus

# status -> {action: next status}. Anything not listed is refused.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {"submit": S.AWAITING_APPROVAL, "cancel": S.CANCELLED},
    S.AWAITING_APPROVAL: {"approve": S.APPROVED, "reject": S.DRAFT, "cancel": S.CANCELLED},
    S.APPROVED: {"send": S.SENT, "reject": S.DRAFT, "cancel": S.CANCELLED},
    S.SENT: {
        "ship": S.SENT,
        "receive_part": S.PARTLY_RECEIVED,
        "receive_all": S.RECEIVED,
        "cancel": S.CANCELLED,
    },
    S.PARTLY_RECEIVED: {
        "receive_part": S.PARTLY_RECEIVED,
        "receive_all": S.RECEIVED,
        "close": S.CLOSED,
    },
    S.RECEIVED: {"close": S.CLOSED},
    S.CLOSED: {},
    S.CANCELLED: {},
}

ACTION_LABELS = {
    "submit": gettext_lazy("submitted for approval"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("sent back to draft"),
    "send": gettext_lazy("sent"),
    "ship": gettext_lazy("shipped"),
    "receive_part": gettext_lazy("received"),
    "receive_all": gettext_lazy("received"),
    "close": gettext_lazy("closed"),
    "cancel": gettext_lazy("cancelled"),
}


def allowed_actions(status: str) -> list[str]:
    """Actions the table allows from a status."""
    return list(TRANSITIONS.get(status, {}))


def next_status(order: PurchaseOrder, action: str) -> str:
    """The status an action leads to, or a 409 naming the order, its status and the action."""
    target = TRANSITIONS.get(order.status, {}).get(action)
    if target is None:
        raise BohError(
            code=errors.ILLEGAL_TRANSITION,
            message=_("Order %(number)s is %(status)s; it cannot be %(action)s.")
            % {
                "number": order.number,
                "status": OrderStatus(order.status).label,
                "action": ACTION_LABELS.get(action, action),
            },
            field="status",
            status=409,
            params={"from": order.status, "action": action},
        )
    return target
