"""POS tickets for the demo's sales history, drawn from a seeded demand model.

How busy a store is on a day: a standard store's count (data.sales) times the store's
size, the weekday, China's holidays and adjusted working days (chinese-calendar), the
evening before a holiday, the time of year (hot pot peaks in winter), and log-normal
noise. What each table orders: a base, a sauce per guest, dishes per guest by category
(fewer meat plates and more vegetables and drinks in summer), drinks; sometimes a set
meal. Weather and local events are not drawn: they are part of the noise. Every draw comes
from a random generator seeded by (seed, store, day), so a store-day's tickets are the
same whichever order the days are generated in, and the same on every run.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from boh.demo.data import menu as menu_data
from boh.demo.data import sales as data

T = TypeVar("T")
DINE_IN = "dine_in"


@dataclass(frozen=True)
class Dish:
    code: str
    pos: str
    name: str
    category: str
    price: Decimal
    delivery: bool
    groups: tuple[str, ...]


def dishes() -> dict[str, Dish]:
    """The menu's dishes and set meals by code, as the model orders them."""
    result = {
        row[0]: Dish(row[0], row[1], row[2], row[4], Decimal(row[5]), row[6], tuple(row[7].split()))
        for row in menu_data.DISHES
    }
    for code, pos, name, _en, price, delivery, _parts in menu_data.SET_MEALS:
        result[code] = Dish(code, pos, name, "SET", Decimal(price), delivery, ())
    return result


def option_prices() -> dict[str, Decimal]:
    """Price change of each modifier option, by its POS code."""
    return {
        option[1]: Decimal(option[4]) for group in menu_data.MODIFIER_GROUPS for option in group[5]
    }


def channel_price(dine_in: Decimal, channel: str) -> Decimal:
    """A price on a channel: dine-in as listed, delivery marked up to the next yuan."""
    if channel not in menu_data.DELIVERY_CHANNELS:
        return dine_in
    return Decimal(math.ceil(dine_in * Decimal(menu_data.DELIVERY_MARKUP)))


def price_on(dish: Dish, channel: str) -> Decimal:
    """A dish's price on a channel of the menu (dine_in, meituan, eleme)."""
    return channel_price(dish.price, channel)


def holiday_of(day: dt.date) -> tuple[bool, str | None, bool]:
    """(statutory holiday, its name, working day) by the State Council's notice."""
    import chinese_calendar

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        working = chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the notice does not cover yet: plain weekends.
        return False, None, day.weekday() < 5
    return bool(on_holiday and name), name, working


def day_factor(day: dt.date) -> float:
    """How busy a day is against an ordinary Monday."""
    holiday, name, working = holiday_of(day)
    if holiday:
        factor = data.HOLIDAY_FACTORS.get(str(name), data.HOLIDAY_FACTOR)
    elif working and day.weekday() >= 5:
        factor = data.WORKING_WEEKEND_FACTOR
    else:
        factor = data.WEEKDAY_FACTORS[day.weekday()]
    if not holiday and holiday_of(day + dt.timedelta(days=1))[0]:
        factor *= data.EVE_FACTOR
    return factor


def summer(day: dt.date) -> float:
    """Where a day lies in the year: -1 at the height of winter, 1 at the height of summer."""
    angle = 2 * math.pi * (day.timetuple().tm_yday - data.SEASON_PEAK_DAY) / 365.25
    return -math.cos(angle)


def season_factor(day: dt.date) -> float:
    """How busy the time of year is against the year's average."""
    return 1 - data.SEASON_AMPLITUDE * summer(day)


def expected_tickets(size: float, day: dt.date) -> tuple[float, float]:
    """Expected dine-in and delivery tickets of a store of `size` on a day, before noise."""
    factor = size * day_factor(day) * season_factor(day)
    return data.DINE_IN_TICKETS * factor, data.DELIVERY_TICKETS * factor


def _pick(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    return rng.choices([c for c, _w in choices], weights=[w for _c, w in choices])[0]


def _count(rng: random.Random, mean: float) -> int:
    # Poisson by inversion: means here stay small (a few dishes per table).
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _moment(rng: random.Random, day: dt.date, hours: Sequence[tuple[int, int, int]]) -> dt.datetime:
    first, last = _pick(rng, [((a, b), w) for a, b, w in hours])
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=rng.randint(first, last))


class TicketMaker:
    """Draws the tickets of one store on one business date."""

    def __init__(
        self,
        *,
        seed: int,
        store_code: str,
        size: float,
        zone: zoneinfo.ZoneInfo,
        source: str,
        channels: dict[str, str],
        dishes_sold: frozenset[str] | None = None,
    ) -> None:
        self.seed = seed
        self.store_code = store_code
        self.size = size
        self.zone = zone
        self.source = source
        # Menu price channel -> the sales channel a ticket names.
        self.channels = channels
        self.menu = {
            code: dish
            for code, dish in dishes().items()
            if dishes_sold is None or code in dishes_sold
        }
        self.broths = [(code, w) for code, w in data.BROTHS if code in self.menu]
        self.options = option_prices()
        self.by_category: dict[str, list[tuple[str, int]]] = {}
        for dish in self.menu.values():
            weight = data.DISH_WEIGHTS.get(dish.code, 0)
            if weight:
                self.by_category.setdefault(dish.category, []).append((dish.code, weight))

    def tickets(self, day: dt.date, until: dt.datetime | None = None) -> list[dict[str, Any]]:
        """Tickets of the business date, closed in time order; none closing after `until`."""
        rng = random.Random(f"{self.seed}:{self.store_code}:{day.isoformat()}")
        dine_in, delivery = expected_tickets(self.size, day)
        noise = math.exp(rng.gauss(0, data.DAY_NOISE))
        drafts = [self._table(rng, day) for _ in range(round(dine_in * noise))]
        platforms = [c for c in menu_data.DELIVERY_CHANNELS if c in self.channels]
        drafts += [
            self._delivery(rng, day, platforms[n % len(platforms)])
            for n in range(round(delivery * noise) if platforms else 0)
        ]
        drafts.sort(key=lambda t: t["closed_at"])
        result = []
        for n, ticket in enumerate(drafts, start=1):
            if until is not None and ticket["closed_at"] > until:
                continue
            ticket["external_id"] = f"{self.store_code}-{day:%Y%m%d}-{n:04d}"
            ticket["opened_at"] = ticket["opened_at"].isoformat()
            ticket["closed_at"] = ticket["closed_at"].isoformat()
            result.append(ticket)
        return result

    def _line(
        self, code: str, channel: str, quantity: int = 1, modifiers: Sequence[str] = ()
    ) -> dict[str, Any]:
        dish = self.menu[code]
        price = price_on(dish, channel) + sum(
            (self.options[m] for m in modifiers), start=Decimal(0)
        )
        line: dict[str, Any] = {
            "pos_code": dish.pos,
            "name": dish.name,
            "quantity": str(quantity),
            "unit_price": f"{price:.2f}",
        }
        if modifiers:
            line["modifiers"] = list(modifiers)
        return line

    def _broth(self, rng: random.Random, channel: str) -> dict[str, Any]:
        code = _pick(rng, self.broths)
        modifiers = []
        groups = self.menu[code].groups
        if "SPICE" in groups:
            modifiers.append(_pick(rng, data.SPICE_OPTIONS))
        if "EXTRA" in groups and rng.random() < data.EXTRA_RATE:
            modifiers.append(_pick(rng, data.EXTRA_OPTIONS))
        return self._line(code, channel, 1, modifiers)

    def _dishes(
        self, rng: random.Random, category: str, count: int, channel: str
    ) -> list[dict[str, Any]]:
        chosen: dict[str, int] = {}
        pool = [
            (c, w)
            for c, w in self.by_category.get(category, [])
            if channel == DINE_IN or self.menu[c].delivery
        ]
        for _ in range(count if pool else 0):
            code = _pick(rng, pool)
            chosen[code] = chosen.get(code, 0) + 1
        return [self._line(code, channel, n) for code, n in chosen.items()]

    def _table(self, rng: random.Random, day: dt.date) -> dict[str, Any]:
        covers = _pick(rng, data.COVERS)
        closed = _moment(rng, day, data.DINE_IN_HOURS)
        opened = closed - dt.timedelta(minutes=rng.randint(*data.STAY_MINUTES))
        lines: list[dict[str, Any]] = []
        set_meal = data.SET_MEALS.get(covers)
        if set_meal in self.menu and rng.random() < data.SET_MEAL_RATE:
            lines.append(self._line(set_meal, DINE_IN))
            extra = {"MEAT": 0.4 * covers, "VEG": 0.2 * covers}
        else:
            lines.append(self._broth(rng, DINE_IN))
            sauce = "M502" if rng.random() < data.SESAME_DIP_RATE else "M501"
            if sauce not in self.menu:
                sauce = "M501"
            skip = ["N1"] if rng.random() < data.NO_HERB_RATE else []
            lines.append(self._line(sauce, DINE_IN, covers - len(skip), ()))
            if skip:
                lines.append(self._line(sauce, DINE_IN, len(skip), skip))
            extra = {k: v * covers for k, v in data.DISHES_PER_GUEST.items()}
        drift = {k: 1 + v * summer(day) for k, v in data.MIX_DRIFT.items()}
        extra = {k: v * drift.get(k, 1) for k, v in extra.items()}
        for category, mean in extra.items():
            lines += self._dishes(
                rng,
                category,
                max(1, _count(rng, mean)) if category in {"MEAT", "VEG"} else _count(rng, mean),
                DINE_IN,
            )
        drinks = data.DRINKS_PER_GUEST * covers * drift.get("DRINK", 1)
        lines += self._dishes(rng, "DRINK", _count(rng, drinks), DINE_IN)
        lines = [line for line in lines if line["quantity"] != "0"]
        if rng.random() < data.VOID_RATE and len(lines) > 2:
            lines[-1]["voided"] = True
        if rng.random() < data.VOUCHER_RATE:
            lines[0]["discount"] = min(Decimal(data.VOUCHER), Decimal(lines[0]["unit_price"]))
            lines[0]["discount"] = f"{lines[0]['discount']:.2f}"
        return self._ticket(rng, closed, opened, DINE_IN, covers, lines)

    def _delivery(self, rng: random.Random, day: dt.date, platform: str) -> dict[str, Any]:
        closed = _moment(rng, day, data.DELIVERY_HOURS)
        opened = closed - dt.timedelta(minutes=rng.randint(*data.DELIVERY_MINUTES))
        covers = rng.choice((1, 2, 2, 3))
        lines = [self._broth(rng, platform)]
        lines += self._dishes(rng, "MEAT", rng.randint(*data.DELIVERY_DISHES) // 2 + 1, platform)
        lines += self._dishes(rng, "VEG", rng.randint(*data.DELIVERY_DISHES) // 2, platform)
        lines += self._dishes(rng, "STAPLE", 1, platform)
        for code, quantity in (("M501", covers), (menu_data.DELIVERY_PACKAGING_DISH, 1)):
            if code in self.menu:
                lines.append(self._line(code, platform, quantity))
        return self._ticket(rng, closed, opened, platform, covers, lines)

    def _ticket(
        self,
        rng: random.Random,
        closed: dt.datetime,
        opened: dt.datetime,
        channel: str,
        covers: int,
        lines: list[dict[str, Any]],
    ) -> dict[str, Any]:
        total = Decimal(0)
        for line in lines:
            if not line.get("voided"):
                gross = Decimal(line["unit_price"]) * Decimal(line["quantity"])
                total += gross - Decimal(line.get("discount", "0"))
        tender = "platform" if channel != DINE_IN else _pick(rng, data.TENDERS)
        return {
            "source": self.source,
            "location_code": self.store_code,
            "opened_at": opened.replace(tzinfo=self.zone),
            "closed_at": closed.replace(tzinfo=self.zone),
            "channel": self.channels[channel],
            "covers": covers,
            "lines": lines,
            "payments": [{"tender": tender, "amount": f"{total:.2f}"}],
        }
