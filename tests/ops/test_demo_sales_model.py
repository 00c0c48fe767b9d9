"""The demo's demand model: China's calendar shapes the days, and a seed fixes every ticket."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from boh.demo.data import menu as menu_data
from boh.demo.data import sales as data
from boh.demo.sales_model import (
    TicketMaker,
    day_factor,
    dishes,
    expected_tickets,
    price_on,
    season_factor,
)
from boh.demo.scope import SMALL_DISHES

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
CHANNELS = {"dine_in": "dine_in", "meituan": "delivery_meituan", "eleme": "delivery_eleme"}


def maker(seed: int = 7, dishes_sold: frozenset[str] | None = None) -> TicketMaker:
    return TicketMaker(
        seed=seed,
        store_code="SH01",
        size=1.0,
        zone=ZONE,
        source="demo-pos",
        channels=CHANNELS,
        dishes_sold=dishes_sold,
    )


def test_given_an_ordinary_week_when_weighing_days_then_the_weekend_is_busiest() -> None:
    monday = dt.date(2026, 11, 16)

    factors = [day_factor(monday + dt.timedelta(days=n)) for n in range(7)]

    assert factors == list(data.WEEKDAY_FACTORS)


def test_given_china_holidays_when_weighing_days_then_the_notice_decides() -> None:
    national_day = dt.date(2026, 10, 1)
    eve = dt.date(2026, 9, 30)
    working_saturday = dt.date(2026, 10, 10)

    assert day_factor(national_day) == data.HOLIDAY_FACTORS["National Day"]
    assert day_factor(eve) == pytest.approx(data.WEEKDAY_FACTORS[2] * data.EVE_FACTOR)
    assert day_factor(working_saturday) == data.WORKING_WEEKEND_FACTOR


def test_given_a_year_the_notice_does_not_cover_when_weighing_days_then_weekends_apply() -> None:
    saturday = dt.date(2031, 3, 8)

    assert day_factor(saturday) == data.WEEKDAY_FACTORS[5]


def test_given_a_store_twice_the_size_when_expecting_tickets_then_it_expects_twice_as_many() -> (
    None
):
    day = dt.date(2026, 11, 18)

    small = expected_tickets(1.0, day)
    large = expected_tickets(2.0, day)

    assert large == (small[0] * 2, small[1] * 2)
    factor = 1.05 * season_factor(day)
    assert small == (data.DINE_IN_TICKETS * factor, data.DELIVERY_TICKETS * factor)


def test_given_the_year_when_weighing_seasons_then_midwinter_is_busiest_midsummer_quietest() -> (
    None
):
    year = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]

    factors = {day: season_factor(day) for day in year}

    assert max(factors, key=factors.__getitem__) == dt.date(2026, 1, 15)
    assert min(factors, key=factors.__getitem__) in {dt.date(2026, 7, 16), dt.date(2026, 7, 17)}
    assert sum(factors.values()) / len(year) == pytest.approx(1, abs=0.001)


def test_given_summer_and_winter_days_when_drawing_tables_then_summer_tables_drink_more() -> None:
    big = TicketMaker(
        seed=7, store_code="SH01", size=10.0, zone=ZONE, source="demo-pos", channels=CHANNELS
    )
    drinks = {code for code, dish in dishes().items() if dish.category == "DRINK"}

    def drinks_per_guest(day: dt.date) -> float:
        tables = [t for t in big.tickets(day) if t["channel"] == "dine_in"]
        sold = sum(
            int(line["quantity"])
            for t in tables
            for line in t["lines"]
            if any(dishes()[c].pos == line["pos_code"] for c in drinks)
        )
        return sold / sum(t["covers"] for t in tables)

    # Two Wednesdays, neither a holiday.
    assert drinks_per_guest(dt.date(2026, 7, 15)) > 1.2 * drinks_per_guest(dt.date(2026, 1, 14))


def test_given_the_same_seed_when_drawing_a_day_twice_then_the_tickets_are_identical() -> None:
    day = dt.date(2026, 11, 21)

    first = maker().tickets(day)
    again = maker().tickets(day)
    other = maker(seed=8).tickets(day)

    assert first == again
    assert first != other
    assert [t["external_id"] for t in first[:2]] == ["SH01-20261121-0001", "SH01-20261121-0002"]
    closed = [t["closed_at"] for t in first]
    assert closed == sorted(closed)


def test_given_a_drawn_ticket_when_adding_it_up_then_payment_equals_lines_less_discounts() -> None:
    menu = dishes()
    by_pos = {d.pos: d for d in menu.values()}
    options = {o[1]: Decimal(o[4]) for g in menu_data.MODIFIER_GROUPS for o in g[5]}
    channels = {v: k for k, v in CHANNELS.items()}

    for ticket in maker().tickets(dt.date(2026, 11, 20)):
        total = Decimal(0)
        for line in ticket["lines"]:
            dish = by_pos[line["pos_code"]]
            extra = sum((options[m] for m in line.get("modifiers", ())), Decimal(0))
            price = price_on(dish, channels[ticket["channel"]]) + extra
            assert Decimal(line["unit_price"]) == price
            if not line.get("voided"):
                total += price * Decimal(line["quantity"]) - Decimal(line.get("discount", "0"))
        assert ticket["payments"] == [
            {"tender": ticket["payments"][0]["tender"], "amount": f"{total:.2f}"}
        ]


def test_given_a_short_menu_when_drawing_tickets_then_only_its_dishes_are_sold() -> None:
    pos_of = {d.pos: d.code for d in dishes().values()}

    tickets = maker(dishes_sold=SMALL_DISHES).tickets(dt.date(2026, 11, 22))

    sold = {pos_of[line["pos_code"]] for t in tickets for line in t["lines"]}
    assert sold <= SMALL_DISHES
    assert {"M001", "M501"} <= sold


def test_given_a_time_limit_when_drawing_a_day_then_no_ticket_closes_after_it() -> None:
    day = dt.date(2026, 11, 23)
    limit = dt.datetime.combine(day, dt.time(15, 0), tzinfo=ZONE)

    tickets = maker().tickets(day, until=limit)

    assert tickets
    assert max(dt.datetime.fromisoformat(t["closed_at"]) for t in tickets) <= limit
