"""Calendar features: public holidays with China's adjusted working days, and their neighbours.

China's State Council notice turns some weekends into working days (调休) and some weekdays
into holidays; chinese-calendar knows both. Other countries come from `holidays`.
Events (promotions, local fairs) are passed in per date and join the same frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

# Holidays that shape restaurant demand unlike any other day.
MAJOR_CN = {"Spring Festival": 1, "National Day": 2}


def _cn_days(dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import chinese_calendar

    holiday = np.zeros(len(dates), dtype=np.int8)
    workday = np.zeros(len(dates), dtype=np.int8)
    major = np.zeros(len(dates), dtype=np.int8)
    for i, ts in enumerate(dates):
        day = ts.date()
        try:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            is_work = chinese_calendar.is_workday(day)
        except NotImplementedError:
            # Outside the years the notice covers: fall back to plain weekends.
            is_holiday, name, is_work = day.weekday() >= 5, None, day.weekday() < 5
        workday[i] = 1 if is_work else 0
        # A plain weekend is not a holiday; a named statutory day is.
        holiday[i] = 1 if (is_holiday and name is not None) else 0
        # An adjusted working day carries the holiday's name too; it is not a holiday.
        major[i] = MAJOR_CN.get(str(name), 0) if (is_holiday and name) else 0
    return holiday, workday, major


def _other_days(dates: pd.DatetimeIndex, country: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import holidays as holidays_lib

    years = sorted({d.year for d in dates})
    table = holidays_lib.country_holidays(country, years=years)
    holiday = np.array([1 if ts.date() in table else 0 for ts in dates], dtype=np.int8)
    weekday = np.array([ts.weekday() < 5 for ts in dates], dtype=np.int8)
    workday = (weekday & (holiday == 0)).astype(np.int8)
    return holiday, workday, np.zeros(len(dates), dtype=np.int8)


def calendar_frame(
    start: dt.date,
    end: dt.date,
    country: str = "CN",
    events: Iterable[dt.date] = (),
) -> pd.DataFrame:
    """One row per date from start to end: weekday, holiday, working day and distance features."""
    pad = 30
    dates = pd.date_range(start - dt.timedelta(days=pad), end + dt.timedelta(days=pad), freq="D")
    if country.upper() == "CN":
        holiday, workday, major = _cn_days(dates)
    else:
        holiday, workday, major = _other_days(dates, country.upper())
    frame = pd.DataFrame({"date": dates})
    dow = frame["date"].dt.day_of_week.to_numpy()
    frame["dow"] = dow.astype(np.int8)
    frame["holiday"] = holiday
    frame["workday"] = workday
    frame["major_holiday"] = major
    # An adjusted working weekend behaves like a weekday; a weekday holiday like a weekend.
    frame["day_type"] = np.where(
        holiday == 1, 2, np.where((dow >= 5) & (workday == 1), 3, np.where(dow >= 5, 1, 0))
    ).astype(np.int8)
    off = ((holiday == 1) | ((dow >= 5) & (workday == 0))).astype(np.int8)
    frame["off_day"] = off
    frame["prev_off"] = np.roll(off, 1)
    frame["next_off"] = np.roll(off, -1)
    frame["days_to_holiday"] = _distance(holiday, forward=True)
    frame["days_since_holiday"] = _distance(holiday, forward=False)
    frame["day_of_month"] = frame["date"].dt.day.astype(np.int8)
    frame["month"] = frame["date"].dt.month.astype(np.int8)
    frame["day_of_year"] = frame["date"].dt.day_of_year.astype(np.int16)
    event_set = {pd.Timestamp(d) for d in events}
    frame["event"] = frame["date"].isin(event_set).astype(np.int8)
    mask = (frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))
    return frame.loc[mask].reset_index(drop=True)


def _distance(flags: np.ndarray, *, forward: bool, cap: int = 30) -> np.ndarray:
    """Days to the next (or since the previous) flagged day, capped."""
    n = len(flags)
    out = np.full(n, cap, dtype=np.int16)
    last = None
    order = range(n - 1, -1, -1) if forward else range(n)
    for i in order:
        if flags[i]:
            last = i
        if last is not None:
            out[i] = min(cap, abs(last - i))
    return out
