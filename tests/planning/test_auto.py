"""Automatic replenishment within limits, sent at the cut-off; the on-demand job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.utils import timezone

from boh.core.models import Job
from boh.planning.models import ForecastRun, Suggestion
from boh.planning.services.decisions import (
    approve_automatically,
    auto_blocker,
    send_due_orders,
)
from boh.planning.services.nightly import plan_organization, start_forecast
from boh.planning.services.replenishment import Policies, create_setting
from boh.planning.tasks import run_forecast_job
from boh.purchasing.models import OrderStatus
from tests.conftest import World
from tests.planning.conftest import FAST, Plan
from tests.planning.worlds import planned


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_default_timezone())


def test_given_an_automatic_supplier_when_approving_then_an_order_sent_near_the_cutoff(
    world: World,
) -> None:
    built = planned(world)
    suggestion = Suggestion.objects.get(location=world.store_a, run=built.run)
    create_setting(
        world.actor, supplier_id=suggestion.supplier_id, auto_approve=True, max_order_value="500"
    )

    orders = approve_automatically(world.org)
    early = send_due_orders(world.org, now=_at(built.run.first_date, 10))
    late = send_due_orders(world.org, now=_at(built.run.first_date, 15, 45))

    suggestion.refresh_from_db()
    # store A and the new store each order tofu from the automatic supplier; store B borrows
    # a forecast too, but has no delivery days from it, so people decide there
    b = Suggestion.objects.get(location=world.store_b, supplier_id=suggestion.supplier_id)
    assert len(orders) == 2
    assert auto_blocker(b, Policies(world.org.pk)) == "no_delivery_days"
    assert suggestion.status == Suggestion.Status.AUTO_APPROVED
    assert suggestion.cutoff_at == _at(built.run.first_date, 16)
    assert early == []
    assert sorted(late) == sorted(o.number for o in orders)
    assert suggestion.purchase_order is not None
    suggestion.purchase_order.refresh_from_db()
    assert suggestion.purchase_order.status == OrderStatus.SENT
    assert [m.to for m in mail.outbox] == [["orders@doufu.example"]] * 2


def test_given_an_order_above_the_automatic_limit_when_approving_then_left_for_people(
    world: World,
) -> None:
    built = planned(world)
    suggestion = Suggestion.objects.get(location=world.store_a, run=built.run)
    create_setting(
        world.actor, supplier_id=suggestion.supplier_id, auto_approve=True, max_order_value="1"
    )

    orders = approve_automatically(world.org)

    suggestion.refresh_from_db()
    assert orders == []
    assert suggestion.status == Suggestion.Status.OPEN
    assert auto_blocker(suggestion, Policies(world.org.pk)) == "order_above_limit"


def test_given_no_automatic_setting_when_approving_then_nothing_is_ordered(world: World) -> None:
    built = planned(world)
    suggestion = Suggestion.objects.get(location=world.store_a, run=built.run)

    assert approve_automatically(world.org) == []
    assert auto_blocker(suggestion, Policies(world.org.pk)) == "not_automatic"


def test_given_a_supplier_without_delivery_days_when_suggesting_then_it_is_said(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=28, noodles=10, eggs=5)
    plan.supplier_item(plan.item("beef"), code="B10", size=10, unit="kg", price="850.00")
    plan.deliveries(world.store_a, [])

    plan_organization(world.actor, horizon=7, today=plan.today, now=plan.morning(), settings=FAST)

    suggestion = Suggestion.objects.get(location=world.store_a, supplier=plan.supplier)
    assert suggestion.warnings[0] == {"code": "no_delivery_days", "params": {}}
    assert suggestion.delivery_date == plan.today + dt.timedelta(days=1)
    assert suggestion.lines.get().packs == Decimal(1)


def test_given_an_on_demand_job_when_it_runs_then_the_chain_ran_and_the_job_says_so(
    world: World, plan: Plan
) -> None:
    plan.flat_history(world.store_a, days=21, noodles=10, eggs=5)
    job = start_forecast(world.actor, location_id=world.store_a.pk, horizon=3)

    run_forecast_job(job.pk)

    job.refresh_from_db()
    run = ForecastRun.objects.get()
    assert (job.status, job.result["run_id"], job.result["series"]) == (Job.Status.DONE, run.pk, 4)
    assert (run.location, run.horizon) == (world.store_a, 3)
