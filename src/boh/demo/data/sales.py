"""The demand the demo's sales history is drawn from: how busy a day is and what a table orders.

Read by boh.demo.sales_model. Counts are for a standard store (size 1.0); each store's
size (data.catalog.LOCATION_SIZES) scales them.
"""

from __future__ import annotations

# Tables seated and delivery orders on an ordinary Monday of a standard store.
DINE_IN_TICKETS = 42
DELIVERY_TICKETS = 9
# Spread of a day's count around the model (log-normal sigma).
DAY_NOISE = 0.08
# Hot pot is a winter meal: the year's busiest time is mid-January (day of the year), the
# quietest mid-July, this share above and below the year's average.
SEASON_PEAK_DAY = 15
SEASON_AMPLITUDE = 0.18
# How a table's order drifts with the season, at the height of summer (the opposite in
# midwinter): fewer meat plates, more vegetables and drinks.
MIX_DRIFT = {"MEAT": -0.08, "VEG": 0.12, "DRINK": 0.3}

# Monday first: a hot-pot store fills up from Friday to Sunday.
WEEKDAY_FACTORS = (1.0, 1.0, 1.05, 1.1, 1.35, 1.6, 1.4)
# A statutory holiday by chinese-calendar's name; others get HOLIDAY_FACTOR.
HOLIDAY_FACTORS = {"Spring Festival": 1.3, "National Day": 1.7, "Labour Day": 1.6}
HOLIDAY_FACTOR = 1.45
# The evening before a holiday, and a weekend turned working day (调休), which is quiet.
EVE_FACTOR = 1.15
WORKING_WEEKEND_FACTOR = 1.05

# Guests at a table and how often (weights).
COVERS = ((1, 4), (2, 34), (3, 18), (4, 24), (5, 9), (6, 8), (8, 3))

# When tickets close, as (first minute, last minute after midnight of the business date,
# weight); minutes past 24:00 belong to the same business date (the day ends at 04:00).
DINE_IN_HOURS = (
    (11 * 60 + 30, 14 * 60, 28),
    (17 * 60 + 30, 21 * 60 + 30, 56),
    (21 * 60 + 30, 25 * 60 + 30, 16),
)
DELIVERY_HOURS = (
    (10 * 60 + 45, 13 * 60 + 30, 45),
    (16 * 60 + 45, 20 * 60 + 30, 40),
    (21 * 60, 24 * 60 + 30, 15),
)
# Minutes a table stays, at least and at most.
STAY_MINUTES = (45, 130)
DELIVERY_MINUTES = (3, 12)

# Bases (weights); a red base asks for a spice level and sometimes an extra.
BROTHS = (("M001", 34), ("M005", 26), ("M002", 16), ("M003", 10), ("M004", 6), ("M006", 8))
SPICE_OPTIONS = (("S1", 35), ("S2", 45), ("S3", 20))
EXTRA_OPTIONS = (("A1", 6), ("A2", 3), ("A3", 3))
EXTRA_RATE = 0.12
# Sauce bar per guest (M501), or a sesame oil dip (M502); some leave out coriander or onions.
SESAME_DIP_RATE = 0.25
NO_HERB_RATE = 0.15
# Tables of two and of four sometimes take a set meal instead of ordering dish by dish.
SET_MEAL_RATE = 0.12
SET_MEALS = {1: "M903", 2: "M901", 4: "M902"}

# Dishes per guest by menu category, and the weights of the dishes in each.
DISHES_PER_GUEST = {"MEAT": 1.1, "VEG": 0.8, "SNACK": 0.25, "STAPLE": 0.3}
DRINKS_PER_GUEST = 0.9
DISH_WEIGHTS = {
    "M101": 8, "M102": 14, "M103": 6, "M104": 6, "M105": 14, "M106": 5, "M107": 9, "M108": 6,
    "M109": 3, "M110": 8, "M111": 3, "M112": 4, "M113": 7, "M114": 3, "M115": 2, "M116": 7,
    "M117": 2, "M118": 3, "M119": 12, "M120": 4, "M121": 3, "M122": 3, "M123": 4, "M124": 3,
    "M125": 2, "M126": 3, "M127": 5, "M128": 4, "M129": 3, "M130": 3, "M131": 4,
    "M201": 10, "M202": 8, "M203": 5, "M204": 5, "M205": 9, "M206": 6, "M207": 5, "M208": 9,
    "M209": 5, "M210": 6, "M211": 5, "M212": 5, "M213": 4, "M214": 5, "M215": 9, "M216": 3,
    "M217": 4, "M218": 3, "M219": 3, "M220": 3, "M221": 4, "M222": 4, "M223": 5, "M224": 4,
    "M301": 10, "M302": 7, "M303": 4, "M304": 3, "M305": 3,
    "M401": 6, "M402": 5, "M403": 3, "M404": 3, "M405": 4,
    "M601": 10, "M602": 8, "M603": 4, "M604": 5, "M605": 9, "M606": 5, "M607": 9, "M608": 7,
    "M609": 4, "M610": 3, "M611": 4, "M612": 2, "M613": 2, "M614": 1,
}  # fmt: skip

# Delivery orders: a base, a few dishes, a staple, and the packaging charge.
DELIVERY_DISHES = (2, 5)

# How guests pay (weights) and how often a ticket carries a voucher or a voided line.
TENDERS = (("wechat", 55), ("alipay", 30), ("member_card", 7), ("bank_card", 5), ("cash", 3))
VOUCHER_RATE = 0.06
VOUCHER = "20"
VOID_RATE = 0.02
