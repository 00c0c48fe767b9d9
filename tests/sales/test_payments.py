"""Payments by tender: stored per version, counted in the daily facts, checked against the total."""

from __future__ import annotations

from decimal import Decimal

from boh.sales import selectors
from boh.sales.models import DailyTenderSales, Ticket, TicketPayment
from boh.sales.services import ingest_tickets
from tests.conftest import ApiClient, World
from tests.sales.conftest import Shop, sale, ticket


def tenders(world: World) -> list[tuple[str, int, Decimal]]:
    return list(
        DailyTenderSales.objects.filter(location=world.store_a)
        .order_by("tender")
        .values_list("tender", "payments", "amount")
    )


def test_payments_are_stored_and_counted_by_tender(world: World, shop: Shop) -> None:
    # given a ticket of 56.00 paid by WeChat and cash, and one of 28.00 paid by WeChat
    first = ticket(
        world.store_a,
        sale(quantity=2),
        external_id="P-1",
        payments=[{"tender": "wechat", "amount": "50.00"}, {"tender": "cash", "amount": "6.00"}],
    )
    second = ticket(
        world.store_a, external_id="P-2", payments=[{"tender": "wechat", "amount": "28.00"}]
    )

    # when they are ingested
    result = ingest_tickets(world.actor, [first, second])

    # then the payments are kept in order, the tickets know what was paid, no warning is
    # given, and the facts count each tender
    assert [o.as_dict()["warnings"] for o in result.outcomes] == [[], []]
    stored = Ticket.objects.get(external_id="P-1")
    assert (stored.paid, stored.payment_difference) == (Decimal("56.00"), Decimal("0.00"))
    assert list(
        TicketPayment.objects.filter(ticket=stored).values_list("line_no", "tender", "amount")
    ) == [(0, "wechat", Decimal("50.00")), (1, "cash", Decimal("6.00"))]
    assert tenders(world) == [("cash", 1, Decimal("6.00")), ("wechat", 2, Decimal("78.00"))]
    day = stored.business_date
    report = selectors.sales_report(world.actor, date_from=day, date_to=day)
    assert [(t.tender, t.payments, t.amount) for t in report.tenders] == [
        ("wechat", 2, Decimal("78.00")),
        ("cash", 1, Decimal("6.00")),
    ]


def test_an_amendment_replaces_the_payments_in_the_facts(world: World, shop: Shop) -> None:
    # given a ticket paid in cash
    raw = ticket(world.store_a, external_id="P-3", payments=[{"tender": "cash", "amount": "28.00"}])
    ingest_tickets(world.actor, [raw])

    # when the POS sends it again paid by Alipay, then voids it
    ingest_tickets(world.actor, [{**raw, "payments": [{"tender": "alipay", "amount": "28.00"}]}])
    after_amendment = tenders(world)
    ingest_tickets(
        world.actor,
        [{**raw, "voided": True, "payments": [{"tender": "alipay", "amount": "28.00"}]}],
    )

    # then the cash payment left the facts for Alipay, and the void took Alipay away too;
    # every version keeps its own payments
    assert after_amendment == [
        ("alipay", 1, Decimal("28.00")),
        ("cash", 0, Decimal("0.00")),
    ]
    assert tenders(world) == [("alipay", 0, Decimal("0.00")), ("cash", 0, Decimal("0.00"))]
    assert TicketPayment.objects.filter(ticket__external_id="P-3").count() == 3


def test_payments_that_do_not_add_up_are_accepted_with_a_warning(world: World, shop: Shop) -> None:
    # given a ticket of 28.00 paid 30.00
    raw = ticket(world.store_a, external_id="P-4", payments=[{"tender": "cash", "amount": "30"}])

    # when it is ingested
    result = ingest_tickets(world.actor, [raw])

    # then it lands, with a warning naming the payments, and the difference is kept
    outcome = result.outcomes[0].as_dict()
    assert (outcome["outcome"], outcome["errors"]) == ("created", [])
    assert outcome["warnings"] == [
        {
            "field": "tickets[0].payments",
            "code": "payments_do_not_match",
            "message": "The payments add up to 30.00, the ticket's net sales are 28.00.",
        }
    ]
    assert Ticket.objects.get(external_id="P-4").payment_difference == Decimal("2.00")


def test_a_bad_payment_is_refused_naming_its_field(world: World, shop: Shop) -> None:
    # given a payment without a tender
    raw = ticket(world.store_a, payments=[{"amount": "28.00"}])

    # when it is ingested, then it is refused on the tender and nothing is written
    result = ingest_tickets(world.actor, [raw])
    assert [(e.field, e.code) for e in result.outcomes[0].errors] == [
        ("tickets[0].payments[0].tender", "required")
    ]
    assert not TicketPayment.objects.exists()


def test_the_api_returns_a_tickets_payments_and_the_daily_tenders(world: World, shop: Shop) -> None:
    # given a ticket paid by card, sent through the API
    api = ApiClient(world.api_key("integration"))
    reader = ApiClient(world.api_key("auditor"))
    raw = ticket(world.store_a, external_id="P-5", payments=[{"tender": "card", "amount": "28"}])
    posted = api.post("/sales/tickets", {"tickets": [raw]})
    assert posted.status_code == 200, posted.content
    assert posted.json()["results"][0]["warnings"] == []

    # when the ticket and the day's sales are read
    stored = Ticket.objects.get(external_id="P-5")
    detail = reader.get(f"/sales/tickets/{stored.pk}").json()
    day = stored.business_date.isoformat()
    daily = reader.get(f"/sales/daily?date_from={day}&date_to={day}").json()

    # then both show the payment
    assert (detail["paid"], detail["payment_difference"], detail["refund_of_id"]) == (
        "28.00",
        "0.00",
        None,
    )
    assert detail["payments"] == [{"line_no": 0, "tender": "card", "amount": "28.00"}]
    assert daily["tenders"] == [{"tender": "card", "payments": 1, "amount": "28.00"}]
