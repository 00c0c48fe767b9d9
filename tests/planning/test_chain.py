"""The planning chain on exact histories: forecast, ingredients, prep list, suggestions,
acceptance into a purchase order, and a new store borrowing from similar ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from boh.org import services as org
from boh.planning import selectors
from boh.planning.models import (
    ForecastRun,
    ForecastValue,
    IngredientDemand,
    Measure,
    PrepLine,
    Suggestion,
)
from boh.planning.services.decisions import accept_suggestion
from boh.planning.services.forecasts import run_forecast
from boh.planning.services.nightly import plan_organization
from boh.planning.services.production import plan_demand
from boh.planning.services.replenishment import suggest_orders
from boh.purchasing.models import OrderSource, OrderStatus
from tests.conftest import World
from tests.planning.conftest import FAST, Plan

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]


def test_given_flat_sales_when_forecasting_then_each_store_and_dish_gets_its_level(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=70, noodles=10, eggs=5)
    plan.flat_history(world.store_b, days=70, noodles=20, eggs=10)

    run = run_forecast(world.actor, horizon=7, today=plan.today, settings=FAST)

    values = ForecastValue.objects.filter(run=run)
    a_noodles = values.filter(location=world.store_a, menu_item=plan.noodles)
    b_eggs = values.filter(location=world.store_b, menu_item=plan.eggs)
    covers = values.filter(location=world.store_a, measure=Measure.COVERS)
    assert (run.status, run.series_count, run.warnings) == (ForecastRun.Status.DONE, 8, [])
    assert [round(v.p50, 3) for v in a_noodles.order_by("date")] == [10.0] * 7
    assert [round(v.p50, 3) for v in b_eggs.order_by("date")] == [10.0] * 7
    assert [round(v.p50, 3) for v in covers] == [2.0] * 7
    assert all(v.p90 >= v.p50 for v in values)
    assert sorted(run.backtest) == ["covers", "item", "net_sales"]
    assert run.backtest["item"]["chosen"] == "weighted_mean"


def test_given_a_forecast_when_planning_then_ingredients_by_recipe_and_a_prep_list(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=70, noodles=10, eggs=5)
    plan.flat_history(world.store_b, days=70, noodles=20, eggs=10)
    run = run_forecast(world.actor, horizon=7, today=plan.today, settings=FAST)

    plan_demand(world.actor, run)

    first = plan.today
    demand = IngredientDemand.objects.filter(run=run, date=first)

    def use(location: object, name: str) -> Decimal:
        return demand.get(location=location, item=plan.item(name), source="sales").quantity

    # per noodle portion: beef 150 g at 75% = 200 g; dough 200 g (made to order: flour 160 g,
    # egg 0.8, salt 2 g); broth 500 ml (stocked, from the kitchen); coriander 5 g.
    # per egg dish: 2 eggs.
    assert use(world.store_a, "beef") == Decimal("2000.000")
    assert use(world.store_a, "flour") == Decimal("1600.000")
    assert use(world.store_a, "egg") == Decimal("18.000")  # 10 x 0.8 + 5 x 2
    assert use(world.store_b, "broth") == Decimal("10000.000")
    assert not demand.filter(item=plan.item("dough")).exists()
    # The kitchen makes today what the stores use tomorrow: (10 + 20) x 500 ml of broth,
    # from 3 kg bones and 200 ml soy per 10 l.
    prep = PrepLine.objects.get(run=run, location=world.kitchen, date=first)
    kitchen = IngredientDemand.objects.filter(run=run, location=world.kitchen, date=first)
    assert (prep.item, prep.quantity) == (plan.item("broth"), Decimal("15000.000"))
    assert prep.for_locations == {
        str(world.store_a.pk): "5000.000",
        str(world.store_b.pk): "10000.000",
    }
    assert kitchen.get(item=plan.item("bones")).quantity == Decimal("4500.000")
    assert kitchen.get(item=plan.item("soy")).quantity == Decimal("300.000")
    assert PrepLine.objects.filter(run=run).count() == 6  # days 1-6 of 7 (day 7's use is later)
    rows = selectors.prep_list(world.actor, location_id=world.kitchen.pk, date_from=first)
    assert [(r.item_code, r.date, r.quantity) for r in rows][:1] == [
        ("BROTH", first, Decimal("15000.000"))
    ]


def test_given_stock_and_daily_deliveries_when_planning_then_a_suggestion_explains_itself(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=70, noodles=10, eggs=5)
    plan.supplier_item(plan.item("beef"), code="B10", size=10, unit="kg", price="850.00")
    plan.deliveries(world.store_a, EVERY_DAY)
    plan.stock(world.store_a, plan.item("beef"), 1500)

    result = plan_organization(
        world.actor, horizon=7, today=plan.today, now=plan.morning(), settings=FAST
    )

    suggestion = Suggestion.objects.get(
        location=world.store_a, supplier=plan.supplier, status=Suggestion.Status.OPEN
    )
    line = suggestion.lines.get(item=plan.item("beef"))
    e = line.explanation
    # today and tomorrow: 2 x 2000 g; 1500 on hand, 500 short today whatever is ordered;
    # need 4000 - 1500 - 500 = 2000 g = 0.2 cartons -> 1 carton of 10 kg
    assert suggestion in result.suggestions
    assert (suggestion.delivery_date, suggestion.following_delivery) == (
        plan.today + dt.timedelta(days=1),
        plan.today + dt.timedelta(days=2),
    )
    assert (
        e["forecast_use"],
        e["usable_on_hand"],
        e["on_order"],
        e["short_before_delivery"],
        e["safety_stock"],
        e["need"],
        e["packs_exact"],
        e["packs"],
    ) == ("4000.000", "1500.000", "0.000", "500.000", "0", "2000.000", "0.2000", "1")
    assert (line.packs, line.quantity, line.amount, line.warnings) == (
        Decimal("1.000"),
        Decimal("10000.000"),
        Decimal("850.00"),
        ["short_before_delivery"],
    )
    assert (suggestion.total, suggestion.warnings) == (Decimal("850.00"), [])
    # items nobody supplies are suggested without a supplier, visibly
    unsupplied = Suggestion.objects.get(location=world.store_a, supplier__isnull=True)
    assert unsupplied.warnings == [{"code": "no_supplier", "params": {}}]
    flour = unsupplied.lines.get(item=plan.item("flour"))
    # 2 days x 1600 g, nothing on hand, today's 1600 lost whatever is done
    assert (flour.packs, flour.quantity, flour.warnings) == (
        None,
        Decimal("1600.000"),
        ["short_before_delivery", "no_supplier"],
    )


def test_given_a_suggestion_when_staff_edit_and_accept_it_then_a_draft_order_and_the_edit(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=70, noodles=10, eggs=5)
    plan.supplier_item(plan.item("beef"), code="B10", size=10, unit="kg", price="850.00")
    plan.deliveries(world.store_a, EVERY_DAY)
    plan.stock(world.store_a, plan.item("beef"), 1500)
    plan_organization(world.actor, horizon=7, today=plan.today, now=plan.morning(), settings=FAST)
    suggestion = Suggestion.objects.get(location=world.store_a, supplier=plan.supplier)
    line = suggestion.lines.get(item=plan.item("beef"))

    order = accept_suggestion(world.actor, suggestion, lines=[{"line_id": line.pk, "packs": 2}])

    suggestion.refresh_from_db()
    line.refresh_from_db()
    assert (order.status, order.source, order.expected_date) == (
        OrderStatus.DRAFT,
        OrderSource.SUGGESTION,
        suggestion.delivery_date,
    )
    assert [(ol.supplier_item.supplier_code, ol.quantity) for ol in order.lines.all()] == [
        ("B10", Decimal("2.000"))
    ]
    assert (suggestion.status, suggestion.purchase_order) == (Suggestion.Status.ACCEPTED, order)
    assert (line.accepted_packs, line.edited) == (Decimal("2.000"), True)
    report = selectors.acceptance(world.actor)
    assert (report.accepted, report.lines, report.unchanged, report.unchanged_share) == (
        1,
        1,
        0,
        0.0,
    )


def test_given_a_new_store_without_sales_when_forecasting_then_it_borrows_and_says_so(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=70, noodles=10, eggs=5)
    plan.flat_history(world.store_b, days=70, noodles=30, eggs=15)
    new = org.create_location(world.actor, code="A02", name="A二店", region_id=world.north.pk)

    run = run_forecast(world.actor, location_id=new.pk, horizon=7, today=plan.today, settings=FAST)

    values = ForecastValue.objects.filter(run=run)
    noodles = values.filter(menu_item=plan.noodles).order_by("date")
    # same kind and region: store A only (B is in the south)
    assert {v.location_id for v in values} == {new.pk}
    assert [round(v.p50, 3) for v in noodles] == [10.0] * 7
    assert all(v.borrowed for v in values)
    assert run.warnings == [
        {
            "code": "borrowed_history",
            "params": {"location_id": new.pk, "location": "A二店", "donors": ["A店"]},
        }
    ]
    assert selectors.warning_text(run.warnings[0]) == (
        "A二店 has no sales history: its forecast is the average of similar stores (A店)."
    )


def test_given_more_stores_when_suggesting_then_queries_grow_only_by_audit_entries(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=28, noodles=10, eggs=5)
    plan.flat_history(world.store_b, days=28, noodles=30, eggs=15)
    plan.supplier_item(plan.item("beef"), code="B10", size=10, unit="kg", price="850.00")
    for store in (world.store_a, world.store_b):
        plan.deliveries(store, EVERY_DAY)
    run = run_forecast(world.actor, horizon=7, today=plan.today, settings=FAST)
    plan_demand(world.actor, run)
    suggest_orders(world.actor, run=run, now=plan.morning())

    def queries_to_suggest(location_id: int | None) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            made = suggest_orders(world.actor, run=run, location_id=location_id, now=plan.morning())
        return len(queries), len(made.suggestions)

    one_store, one_made = queries_to_suggest(world.store_a.pk)
    every_store, every_made = queries_to_suggest(None)

    # store B and the central kitchen add their own suggestions, one audit entry each
    assert (one_made, every_made) == (2, 5)
    assert every_store - one_store == every_made - one_made
