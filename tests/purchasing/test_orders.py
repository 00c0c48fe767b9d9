from decimal import Decimal

import pytest

from boh.core.errors import BohError
from boh.core.models import AuditEntry, DomainEvent
from boh.purchasing import services
from boh.purchasing.models import OrderLine, OrderStatus, PurchaseOrder
from tests.conftest import World
from tests.purchasing.conftest import Buying

S = OrderStatus


def test_given_lines_in_packs_when_drafting_then_prices_and_total_are_exact(
    buying: Buying,
) -> None:
    order = buying.order((buying.beef_si, "2"), (buying.lettuce_si, "3.5"))

    lines = list(order.lines.values_list("quantity", "unit_price", "amount", "pack_factor"))
    assert lines == [
        (Decimal("2.000"), Decimal("850.000000"), Decimal("1700.00"), Decimal("10000.000000")),
        (Decimal("3.500"), Decimal("30.000000"), Decimal("105.00"), Decimal("5000.000000")),
    ]
    assert order.total == Decimal("1805.00")
    assert order.status == S.DRAFT
    assert order.number == f"PO{order.pk:06d}"


def test_given_a_line_below_moq_and_a_foreign_item_when_drafting_then_both_fields_named(
    world: World, buying: Buying
) -> None:
    services.update_supplier_item(world.actor, buying.beef_si, moq="2")
    other = services.create_supplier(world.actor, code="HM", name="河马")
    foreign = services.create_supplier_item(
        world.actor,
        other,
        item_id=buying.oil.pk,
        supplier_code="HM-OIL",
        pack_code="BTL",
        pack_size=1,
        pack_unit="l",
        price="10",
    )

    with pytest.raises(BohError) as exc:
        services.create_order(
            world.actor,
            supplier_id=buying.supplier.pk,
            location_id=world.store_a.pk,
            lines=[
                {"supplier_item_id": buying.beef_si.pk, "quantity": "1"},
                {"supplier_item_id": foreign.pk, "quantity": "1"},
            ],
        )

    assert [(f.field, f.code) for f in exc.value.fields] == [
        ("lines[0].quantity", "below_moq"),
        ("lines[1].supplier_item_id", "wrong_supplier"),
    ]
    assert PurchaseOrder.objects.count() == 0


def _advance(world: World, buying: Buying, target: str) -> PurchaseOrder:
    """An order brought to a status through the services."""
    actor = world.actor
    order = buying.order((buying.oil_si, "1"))
    path = {
        S.DRAFT: [],
        S.AWAITING_APPROVAL: ["submit"],
        S.APPROVED: ["submit", "approve"],
        S.SENT: ["submit", "approve", "send"],
        S.CANCELLED: ["cancel"],
    }[target]
    for step in path:
        if step == "submit":
            order = services.submit_order(actor, order)
        elif step == "approve":
            order = services.approve_order(actor, order)
        elif step == "send":
            order = services.send_order(actor, order)
        elif step == "cancel":
            order = services.cancel_order(actor, order, reason="不要了")
    assert order.status == target
    return order


def _act(world: World, order: PurchaseOrder, action: str) -> PurchaseOrder:
    actor = world.actor
    if action == "submit":
        return services.submit_order(actor, order)
    if action == "approve":
        return services.approve_order(actor, order)
    if action == "reject":
        return services.reject_order(actor, order, reason="数量太多")
    if action == "send":
        return services.send_order(actor, order)
    if action == "cancel":
        return services.cancel_order(actor, order, reason="不要了")
    if action == "close":
        return services.close_order(actor, order)
    raise AssertionError(action)


ACTIONS = ["submit", "approve", "reject", "send", "cancel", "close"]
LEGAL = {
    (S.DRAFT, "submit"): S.AWAITING_APPROVAL,
    (S.DRAFT, "cancel"): S.CANCELLED,
    (S.AWAITING_APPROVAL, "approve"): S.APPROVED,
    (S.AWAITING_APPROVAL, "reject"): S.DRAFT,
    (S.AWAITING_APPROVAL, "cancel"): S.CANCELLED,
    (S.APPROVED, "send"): S.SENT,
    (S.APPROVED, "reject"): S.DRAFT,
    (S.APPROVED, "cancel"): S.CANCELLED,
    (S.SENT, "cancel"): S.CANCELLED,
}
CASES = [
    (status, action)
    for status in [S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED, S.SENT, S.CANCELLED]
    for action in ACTIONS
]


@pytest.mark.parametrize(("status", "action"), CASES)
def test_every_action_from_every_status_follows_the_transition_table(
    world: World, buying: Buying, status: str, action: str
) -> None:
    order = _advance(world, buying, status)
    audits_before = AuditEntry.objects.filter(object_id=str(order.pk)).count()

    if (status, action) in LEGAL:
        order = _act(world, order, action)
        assert order.status == LEGAL[(status, action)]
        assert PurchaseOrder.objects.get(pk=order.pk).status == LEGAL[(status, action)]
    else:
        with pytest.raises(BohError) as exc:
            _act(world, order, action)
        assert exc.value.code == "illegal_transition"
        assert exc.value.status == 409
        assert exc.value.params == {"from": status, "action": action}
        assert PurchaseOrder.objects.get(pk=order.pk).status == status
        assert AuditEntry.objects.filter(object_id=str(order.pk)).count() == audits_before


def test_the_table_matches_the_documented_lifecycle() -> None:
    assert services.TRANSITIONS == {
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


def test_given_an_illegal_transition_the_message_names_order_status_and_action(
    world: World, buying: Buying
) -> None:
    order = buying.order((buying.oil_si, "1"))

    with pytest.raises(BohError) as exc:
        services.approve_order(world.actor, order)

    assert str(exc.value.message) == (f"Order {order.number} is Draft; it cannot be approved.")


def test_the_refusal_reads_in_chinese_for_a_chinese_user(world: World, buying: Buying) -> None:
    from django.utils import translation

    order = buying.order((buying.oil_si, "1"))

    with translation.override("zh-hans"), pytest.raises(BohError) as exc:
        services.approve_order(world.actor, order)

    assert str(exc.value.message) == f"订单 {order.number} 的状态是草稿，不能审批。"


def test_given_a_draft_order_when_editing_lines_then_total_follows_and_others_refused(
    world: World, buying: Buying
) -> None:
    order = buying.order((buying.oil_si, "1"))

    order = services.update_order(
        world.actor, order, lines=[{"supplier_item_id": buying.oil_si.pk, "quantity": "3"}]
    )
    assert order.total == Decimal("780.00")
    services.submit_order(world.actor, order)
    with pytest.raises(BohError) as exc:
        services.update_order(world.actor, order, note="late change")

    assert exc.value.code == "order_not_editable"
    assert list(OrderLine.objects.filter(order=order).values_list("quantity", flat=True)) == [
        Decimal("3.000")
    ]


def test_given_a_minimum_order_value_when_submitting_less_then_refused_on_total(
    world: World, buying: Buying
) -> None:
    services.set_delivery_terms(
        world.actor,
        buying.supplier,
        location_id=world.store_a.pk,
        delivery_weekdays=[0, 1, 2, 3, 4, 5, 6],
        min_order_value="500.00",
    )
    order = buying.order((buying.oil_si, "1"))

    with pytest.raises(BohError) as exc:
        services.submit_order(world.actor, order)

    assert exc.value.code == "below_minimum_order_value"
    assert [f.field for f in exc.value.fields] == ["total"]
    assert PurchaseOrder.objects.get(pk=order.pk).status == S.DRAFT


class TestApproval:
    def _manager(self, world: World, limit: str | None) -> object:
        user = world.user("store_manager", location_id=world.store_a.pk)
        if limit is not None:
            services.create_approval_rule(
                world.actor, role="store_manager", location_id=world.store_a.pk, max_amount=limit
            )
        return user

    def test_own_order_within_limit_is_approved(self, world: World, buying: Buying) -> None:
        user = self._manager(world, "1000.00")
        manager = world.actor_for(user)  # type: ignore[arg-type]
        order = services.create_order(
            manager,
            supplier_id=buying.supplier.pk,
            location_id=world.store_a.pk,
            lines=[{"supplier_item_id": buying.oil_si.pk, "quantity": "3"}],
        )
        services.submit_order(manager, order)

        order = services.approve_order(manager, order)

        assert (order.status, order.approved_by_id) == (S.APPROVED, user.pk)  # type: ignore[attr-defined]

    def test_own_order_above_limit_is_refused_naming_total(
        self, world: World, buying: Buying
    ) -> None:
        manager = world.actor_for(self._manager(world, "500.00"))  # type: ignore[arg-type]
        order = services.create_order(
            manager,
            supplier_id=buying.supplier.pk,
            location_id=world.store_a.pk,
            lines=[{"supplier_item_id": buying.oil_si.pk, "quantity": "3"}],
        )
        services.submit_order(manager, order)
        events_before = DomainEvent.objects.count()

        with pytest.raises(BohError) as exc:
            services.approve_order(manager, order)

        assert exc.value.code == "own_order_above_limit"
        assert exc.value.status == 403
        assert [f.field for f in exc.value.fields] == ["total"]
        assert str(exc.value.message) == (
            "You cannot approve your own order of 780.00 above your limit of 500.00."
        )
        order.refresh_from_db()
        assert (order.status, order.approved_by_id) == (S.AWAITING_APPROVAL, None)
        assert DomainEvent.objects.count() == events_before

    def test_someone_elses_order_above_limit_is_refused(self, world: World, buying: Buying) -> None:
        manager = world.actor_for(self._manager(world, "500.00"))  # type: ignore[arg-type]
        order = services.submit_order(world.actor, buying.order((buying.oil_si, "3")))

        with pytest.raises(BohError) as exc:
            services.approve_order(manager, order)

        assert exc.value.code == "approval_limit_exceeded"

    def test_without_a_rule_a_manager_cannot_approve_but_the_owner_can(
        self, world: World, buying: Buying
    ) -> None:
        manager = world.actor_for(self._manager(world, None))  # type: ignore[arg-type]
        order = services.submit_order(world.actor, buying.order((buying.oil_si, "1")))

        with pytest.raises(BohError) as exc:
            services.approve_order(manager, order)
        owner_approved = services.approve_order(world.actor, order)

        assert exc.value.code == "approval_limit_exceeded"
        assert owner_approved.status == S.APPROVED

    def test_a_rule_for_another_location_does_not_apply(self, world: World, buying: Buying) -> None:
        user = world.user("store_manager", location_id=world.store_a.pk)
        services.create_approval_rule(
            world.actor, role="store_manager", location_id=world.store_b.pk, max_amount="9999"
        )
        order = services.submit_order(world.actor, buying.order((buying.oil_si, "1")))

        assert services.approval_limit(world.actor_for(user), world.store_a.pk) == Decimal(0)
        with pytest.raises(BohError):
            services.approve_order(world.actor_for(user), order)

    def test_store_staff_cannot_approve_at_all(self, world: World, buying: Buying) -> None:
        staff = world.actor_for(world.user("store_staff", location_id=world.store_a.pk))
        order = services.submit_order(world.actor, buying.order((buying.oil_si, "1")))

        with pytest.raises(BohError) as exc:
            services.approve_order(staff, order)

        assert exc.value.code == "permission_denied"
