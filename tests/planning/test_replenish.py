"""Replenishment arithmetic on cases worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from boh.planning import replenish as r

MON = dt.date(2026, 3, 2)  # a Monday
TUE, WED, THU, FRI = (MON + dt.timedelta(days=n) for n in range(1, 5))
MWF = r.DeliveryTerms(weekdays=(0, 2, 4), cutoff=dt.time(14, 0), lead_time_days=1)


def flat(per_day: str, days: int = 14, sigma: str = "0") -> list[r.DayDemand]:
    return [
        r.DayDemand(MON + dt.timedelta(days=n), Decimal(per_day), Decimal(sigma))
        for n in range(days)
    ]


def line(**kw: object) -> r.LineInput:
    values: dict[str, object] = {
        "today": MON,
        "window": r.delivery_window(MWF, dt.datetime(2026, 3, 2, 10, 0)),
        "demand": flat("10"),
        "pack": r.PackTerms(pack_factor=Decimal(4), moq=Decimal(0), price=Decimal("12.50")),
        "service_level": Decimal("0.95"),
    }
    values.update(kw)
    return r.LineInput(**values)  # type: ignore[arg-type]


def test_given_mon_wed_fri_deliveries_when_ordering_before_cutoff_then_wed_then_fri() -> None:
    window = r.delivery_window(MWF, dt.datetime(2026, 3, 2, 13, 59))

    assert (window.order_date, window.first, window.following) == (MON, WED, FRI)
    assert window.assumed_daily is False


def test_given_two_day_lead_when_ordering_after_cutoff_then_counted_from_tomorrow() -> None:
    terms = r.DeliveryTerms(weekdays=(0, 2, 4), cutoff=dt.time(14, 0), lead_time_days=2)

    before = r.delivery_window(terms, dt.datetime(2026, 3, 2, 14, 0))
    after = r.delivery_window(terms, dt.datetime(2026, 3, 2, 14, 1))

    # Mon + 2 = Wed; after the cut-off the order is placed Tue, Tue + 2 = Thu -> Fri
    assert (before.first, before.following) == (WED, FRI)
    assert (after.order_date, after.first, after.following) == (TUE, FRI, dt.date(2026, 3, 9))


def test_given_stock_and_forecast_when_sizing_then_need_is_rounded_up_to_whole_packs() -> None:
    # window Mon..Thu: 4 days x 10 = 40; on hand 25 -> need 15 = 3.75 packs of 4 -> 4 packs
    result = r.size_line(line(lots=[r.LotStock(Decimal(25))], demand=flat("10")))

    e = result.explanation
    assert (e.forecast_use, e.usable_on_hand, e.on_order, e.safety_stock) == (
        Decimal("40.000"),
        Decimal("25.000"),
        Decimal("0.000"),
        Decimal(0),
    )
    assert (e.need, e.packs_exact, e.packs_rounded) == (
        Decimal("15.000"),
        Decimal("3.7500"),
        Decimal(4),
    )
    assert (result.packs, result.quantity, result.amount) == (
        Decimal(4),
        Decimal("16.000"),
        Decimal("50.00"),
    )
    assert result.warnings == ()


def test_given_a_small_need_when_the_supplier_has_an_moq_then_the_moq_is_ordered() -> None:
    # need 40 - 35 = 5 -> 2 packs of 4, raised to the MOQ of 5 packs
    pack = r.PackTerms(pack_factor=Decimal(4), moq=Decimal(5), price=Decimal(2))

    result = r.size_line(line(lots=[r.LotStock(Decimal(35))], pack=pack))

    assert (result.explanation.packs_rounded, result.packs, result.explanation.moq_applied) == (
        Decimal(2),
        Decimal(5),
        True,
    )
    assert result.amount == Decimal("10.00")


def test_given_enough_stock_when_sizing_then_nothing_is_ordered_and_never_below_zero() -> None:
    result = r.size_line(line(lots=[r.LotStock(Decimal(100))]))

    assert (result.explanation.need, result.packs, result.quantity) == (
        Decimal(0),
        Decimal(0),
        Decimal("0.000"),
    )


def test_given_a_lot_expiring_before_use_when_sizing_then_only_usable_stock_counts() -> None:
    # lot A 30 expires Tue, lot B 10 never: Mon and Tue use 20 of A, its last 10 expire
    # unused; B serves Wed; Thu is short 10. Usable = 40 - 10 = 30, need = 40 - 30 = 10.
    lots = [
        r.LotStock(Decimal(10), None, lot_id=2),
        r.LotStock(Decimal(30), TUE, lot_id=1),
    ]

    result = r.size_line(line(lots=lots, pack=r.PackTerms(Decimal(1))))

    e = result.explanation
    assert (e.on_hand, e.expiring_unused, e.usable_on_hand, e.need) == (
        Decimal("40.000"),
        Decimal("10.000"),
        Decimal("30.000"),
        Decimal("10.000"),
    )
    assert result.waste == (r.Waste(1, Decimal(10), TUE),)
    assert result.packs == Decimal(10)


def test_given_open_orders_when_sizing_then_each_counts_once_and_later_ones_not_at_all() -> None:
    # on hand 10; 8 due Tue and 6 due Thu count (before the following delivery on Fri),
    # 100 due Fri does not. Mon uses 10; Tue gets 8 of 10 (2 short before the delivery).
    # need = 40 - 10 - 14 - 2 = 14.
    incoming = [
        r.Incoming(Decimal(8), TUE),
        r.Incoming(Decimal(6), THU),
        r.Incoming(Decimal(100), FRI),
    ]

    result = r.size_line(
        line(lots=[r.LotStock(Decimal(10))], incoming=incoming, pack=r.PackTerms(Decimal(1)))
    )

    e = result.explanation
    assert (e.on_order, e.short_before_delivery, e.need) == (
        Decimal("14.000"),
        Decimal("2.000"),
        Decimal("14.000"),
    )
    assert r.SHORT_BEFORE_DELIVERY in result.warnings
    assert result.packs == Decimal(14)


def test_given_forecast_error_when_sizing_then_safety_stock_follows_the_service_level() -> None:
    # sigma 5 a day over 4 days -> sqrt(100) = 10; z(95%) = 1.6449, z(99%) = 2.3263
    demand = flat("10", sigma="5")
    stock = [r.LotStock(Decimal(40))]

    at_95 = r.size_line(line(lots=stock, demand=demand, pack=r.PackTerms(Decimal(1))))
    at_99 = r.size_line(
        line(
            lots=stock,
            demand=demand,
            pack=r.PackTerms(Decimal(1)),
            service_level=Decimal("0.99"),
        )
    )

    assert (at_95.explanation.z, at_95.explanation.safety_stock, at_95.packs) == (
        Decimal("1.6449"),
        Decimal("16.449"),
        Decimal(17),
    )
    assert (at_99.explanation.z, at_99.explanation.safety_stock, at_99.packs) == (
        Decimal("2.3263"),
        Decimal("23.263"),
        Decimal(24),
    )
    assert at_95.can_wait is True


@pytest.mark.parametrize("level", ["1", "1.2", "0", "-0.1"])
def test_given_a_service_level_outside_0_to_100_when_sizing_then_a_clear_error(level: str) -> None:
    with pytest.raises(r.ReplenishmentError) as caught:
        r.size_line(line(service_level=Decimal(level)))

    assert caught.value.code == "invalid_service_level"


def test_given_a_short_shelf_life_when_sizing_then_no_more_than_can_be_used_in_time() -> None:
    # Wednesday deliveries only: order Mon for Wed, next Wed after: window Mon..Tue+7 = 9 days
    # 90 of use, 20 of it before the delivery (short, no stock) -> need 70 = 17.5 -> 18 packs.
    # Shelf life 2 days: Wed + Thu use 20 = 5 packs of 4.
    window = r.delivery_window(r.DeliveryTerms(weekdays=(2,)), dt.datetime(2026, 3, 2, 9))

    result = r.size_line(line(window=window, shelf_life_days=2))

    e = result.explanation
    assert (window.first, window.following) == (WED, dt.date(2026, 3, 11))
    assert (e.need, e.packs_rounded, e.shelf_life_cap_packs, e.capped) == (
        Decimal("70.000"),
        Decimal(18),
        Decimal(5),
        True,
    )
    assert (result.packs, result.quantity) == (Decimal(5), Decimal("20.000"))
    assert r.SHELF_LIFE_CAP in result.warnings


def test_given_a_pack_larger_than_use_in_shelf_life_when_sizing_then_zero_and_warned() -> None:
    # two days of use (20) is less than one pack of 30: nothing can be ordered, visibly
    result = r.size_line(line(shelf_life_days=2, pack=r.PackTerms(Decimal(30))))

    assert (result.packs, result.explanation.shelf_life_cap_packs) == (Decimal(0), Decimal(0))
    assert r.PACK_OUTLASTS_SHELF_LIFE in result.warnings


def test_given_no_supplier_when_sizing_then_the_need_in_base_units_with_a_warning() -> None:
    # no stock: Mon and Tue go short whatever is ordered; Wed + Thu need 20
    result = r.size_line(line(pack=None))

    assert (result.packs, result.quantity, result.amount) == (None, Decimal("20.000"), None)
    assert r.NO_SUPPLIER in result.warnings


def test_given_no_delivery_days_when_sizing_then_daily_delivery_is_assumed_and_said() -> None:
    window = r.delivery_window(r.DeliveryTerms(weekdays=()), dt.datetime(2026, 3, 2, 9))

    result = r.size_line(line(window=window, pack=r.PackTerms(Decimal(1))))

    # Tue delivery, Wed after it: Mon + Tue = 20, Mon is short 10 before delivery -> 10
    assert (window.first, window.following, window.assumed_daily) == (TUE, WED, True)
    assert result.packs == Decimal(10)
    assert r.NO_DELIVERY_DAYS in result.warnings


def test_given_lines_below_the_minimum_value_when_checking_then_shortfall_and_can_wait() -> None:
    covered = r.size_line(
        line(lots=[r.LotStock(Decimal(40))], demand=flat("10", sigma="5"))
    )  # 17 -> 5 packs x 12.50 = 62.50, only tops up safety stock
    short = r.size_line(line(lots=[r.LotStock(Decimal(25))]))  # 4 packs = 50.00, runs short

    alone = r.check_minimum([covered], Decimal(100))
    both = r.check_minimum([covered, short], Decimal(100))

    assert (alone.total, alone.shortfall, alone.below, alone.can_wait) == (
        Decimal("62.50"),
        Decimal("37.50"),
        True,
        True,
    )
    assert (both.total, both.shortfall, both.below, both.can_wait) == (
        Decimal("112.50"),
        Decimal("0.00"),
        False,
        False,
    )


def test_given_surplus_near_expiry_when_a_nearby_store_runs_short_then_a_transfer() -> None:
    shortages = [r.Shortage(2, "north", 7, Decimal(12), WED)]
    surpluses = [
        r.Surplus(1, "north", 7, 11, Decimal(10), THU),
        r.Surplus(1, "north", 7, 10, Decimal(5), WED),
        r.Surplus(1, "north", 7, 9, Decimal(50), MON),  # expired before it could be shipped
        r.Surplus(3, "south", 7, 12, Decimal(50), THU),  # too far away
    ]

    transfers = r.suggest_transfers(shortages, surpluses, ship_date=TUE)

    assert transfers == [
        r.Transfer(1, 2, 7, 10, Decimal("5.000"), WED),
        r.Transfer(1, 2, 7, 11, Decimal("7.000"), THU),
    ]
