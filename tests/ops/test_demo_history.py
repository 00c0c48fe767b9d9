"""The demo's sales history: every store sells every day, weekly counts, and a background load.

The loads here use the small chain (a short menu sold in two stores) over two weeks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from boh.core.models import Job
from boh.demo import services as demo
from boh.demo.loaders.counts import COUNT_WEEKDAY
from boh.demo.sales_model import holiday_of
from boh.demo.scope import SMALL_STORES
from boh.demo.tasks import run_history_job
from boh.inventory.documents.models import Stocktake
from boh.inventory.models import MoveKind, StockMove
from boh.sales.models import Ticket

# Spring Festival 2026 is 17 February; the holiday runs from the 15th to the 23rd.
AFTER_SPRING_FESTIVAL = dt.date(2026, 2, 26)
DAYS = 14


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    # Eight demo people: the default hasher would spend seconds on each load.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def span() -> list[dt.date]:
    return [AFTER_SPRING_FESTIVAL - dt.timedelta(days=n) for n in range(DAYS, 0, -1)]


def tickets_by_store_and_day() -> dict[tuple[str, dt.date], int]:
    rows = (
        Ticket.objects.values("location__code", "business_date").annotate(n=Count("id")).order_by()
    )
    return {(row["location__code"], row["business_date"]): row["n"] for row in rows}


@pytest.mark.django_db
def test_given_a_span_over_spring_festival_when_loading_then_every_store_sells_every_day() -> None:
    chain = demo.load_demo_chain(size="small", days=DAYS, today=AFTER_SPRING_FESTIVAL)

    sold = tickets_by_store_and_day()
    assert [day for day in span() if holiday_of(day)[1] == "Spring Festival"]
    assert {(store, day) for store in SMALL_STORES for day in span()} == set(sold)
    assert "tickets refused" not in chain.made
    assert chain.made["tickets"] == sum(sold.values())
    assert chain.skipped == []


@pytest.mark.django_db
def test_given_a_history_with_mondays_when_loading_then_each_store_counts_its_stock() -> None:
    demo.load_demo_chain(size="small", days=DAYS, today=AFTER_SPRING_FESTIVAL)

    mondays = [day for day in span() if day.weekday() == COUNT_WEEKDAY]
    counts = Stocktake.objects.filter(status=Stocktake.Status.POSTED)
    assert len(mondays) == 2
    assert sorted(
        (s.location.code, s.snapshot_at.astimezone(ZoneInfo(s.location.time_zone)).date())
        for s in counts
    ) == sorted((store, day) for store in SMALL_STORES for day in mondays)
    # Counts find a little less than the ledger expects: actual usage runs above theoretical.
    adjustments = StockMove.objects.filter(kind=MoveKind.COUNT_ADJUSTMENT)
    assert adjustments.exists()
    assert sum(s.adjustment_value for s in counts) < 0


@pytest.mark.django_db
def test_given_background_when_loading_then_a_job_loads_the_history_a_day_at_a_time() -> None:
    chain = demo.load_demo_chain(
        size="small", days=DAYS, today=AFTER_SPRING_FESTIVAL, background=True
    )
    assert chain.history_job is not None
    assert Ticket.objects.count() == 0

    run_history_job(chain.history_job.pk)

    job = Job.objects.get(pk=chain.history_job.pk)
    assert (job.status, job.done, job.total) == (Job.Status.DONE, DAYS, DAYS)
    assert job.result["tickets_refused"] == 0
    assert job.result["tickets"] == Ticket.objects.count() > 0
    assert {day for _store, day in tickets_by_store_and_day()} == set(span())
    again = demo.load_demo_chain(
        size="small", days=DAYS, today=AFTER_SPRING_FESTIVAL, background=True
    )
    assert again.history_job is None
