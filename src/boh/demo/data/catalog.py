# ruff: noqa: E501 (one item per line reads as a table; wrapping would hide the columns)
"""The demo chain's catalog: categories, about 150 items with packs, storage areas, par levels.

Tables of tuples, read by boh.demo.loaders.catalog. Prices are what the chain pays in
2026 (CNY, before VAT) per the unit written after the slash; par levels are for a
standard store and are scaled by each location's size.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# (code, name, English name, parent code, days of expiry warning)
CATEGORIES: tuple[tuple[str, str, str, str | None, int | None], ...] = (
    ("MEAT", "肉类", "Meat", None, 2),
    ("BEEF", "牛肉", "Beef", "MEAT", None),
    ("LAMB", "羊肉", "Lamb", "MEAT", None),
    ("PORK", "猪肉", "Pork", "MEAT", None),
    ("POULTRY", "禽类", "Poultry", "MEAT", None),
    ("OFFAL", "毛肚/内脏", "Tripe and offal", "MEAT", 1),
    ("SEAFOOD", "海鲜", "Seafood", None, 1),
    ("VEG", "蔬菜", "Vegetables", None, 1),
    ("LEAFY", "叶菜", "Leafy greens", "VEG", None),
    ("ROOT", "根茎瓜果", "Roots, gourds and fruit vegetables", "VEG", None),
    ("MUSHROOM", "菌菇", "Mushrooms", None, 2),
    ("SOY", "豆制品", "Soy products", None, 2),
    ("BALLS", "丸滑", "Balls and pastes", None, 7),
    ("STAPLE", "主食", "Staples", None, 14),
    ("SEASONING", "调料", "Seasonings", None, 30),
    ("OIL", "油脂", "Oils and fats", "SEASONING", None),
    ("SPICE", "香辛料", "Spices and dry seasonings", "SEASONING", None),
    ("SAUCE", "酱料", "Sauces and condiments", "SEASONING", None),
    ("DAIRY", "蛋奶", "Eggs and dairy", None, 3),
    ("DRINKS", "酒水饮料", "Drinks", None, 30),
    ("BEER", "啤酒", "Beer", "DRINKS", None),
    ("SOFT", "饮料", "Soft drinks", "DRINKS", None),
    ("LIQUOR", "白酒", "Baijiu", "DRINKS", None),
    ("PREPARED", "半成品", "Prepared in the central kitchen", None, 2),
    ("PACKAGING", "包装耗材", "Packaging and consumables", None, None),
)

# Items of these top-level categories are tracked by lot, with an expiry date per lot.
LOT_TRACKED_ROOTS = frozenset({"MEAT", "SEAFOOD", "DAIRY", "BALLS", "PREPARED"})
# Category roots and the item kind their items are.
KIND_OF_ROOT = {
    "DRINKS": "merchandise",
    "PREPARED": "prepared",
    "PACKAGING": "packaging",
}
CONSUMABLES = frozenset({"PA04", "PA05", "PA06", "PA07", "PA08", "PA09", "PA10", "PA11"})

# A pack: (code, name, English name, quantity, unit); the unit is a standard unit or a
# pack listed before it, so "case = 12 x bottle" keeps its link to the bottle.
Pack = tuple[str, str, str, int | str, str]


def _box(grams: int, per_case: int = 0, name: str = "盒", name_en: str = "Box") -> tuple[Pack, ...]:
    inner: Pack = ("box", name, name_en, grams, "g")
    if not per_case:
        return (inner,)
    return inner, ("case", "箱", "Case", per_case, "box")


def _bag(size: int, unit: str = "g", per_case: int = 0) -> tuple[Pack, ...]:
    inner: Pack = ("bag", "袋", "Bag", size, unit)
    if not per_case:
        return (inner,)
    return inner, ("case", "箱", "Case", per_case, "bag")


def _bottle(ml: int, per_case: int, name: str = "瓶", name_en: str = "Bottle") -> tuple[Pack, ...]:
    return ("bottle", name, name_en, ml, "ml"), ("case", "箱", "Case", per_case, "bottle")


def _can(ml: int, per_case: int) -> tuple[Pack, ...]:
    return ("can", "罐", "Can", ml, "ml"), ("case", "箱", "Case", per_case, "can")


BASKET: tuple[Pack, ...] = (("basket", "筐", "Basket", 10, "kg"),)
SACK_25: tuple[Pack, ...] = (("sack", "袋", "Sack", 25, "kg"),)
BARREL_20L: tuple[Pack, ...] = (("barrel", "桶", "Barrel", 20, "l"),)
BARREL_5L: tuple[Pack, ...] = (("barrel", "桶", "Barrel", 5, "l"),)
EGG_TRAY: tuple[Pack, ...] = (
    ("tray", "托", "Tray", 30, "each"),
    ("case", "箱", "Case", 12, "tray"),
)


class ItemRow(NamedTuple):
    code: str
    name: str
    name_en: str
    category: str
    base_unit: str
    # A: ambient, C: chilled, F: frozen.
    storage: str
    shelf_life_days: int | None
    allergens: str
    packs: tuple[Pack, ...]
    # "68/kg": 68 yuan per kg; "4.5/bottle": per bottle (a pack of the item).
    price: str
    # "15 kg": par level of a standard store, in a standard unit or pack of the item.
    par: str
    # Where the item is stocked: S stores, C central kitchen, W warehouse.
    where: str


# fmt: off
_ITEMS: tuple[tuple[Any, ...], ...] = (
    # Beef
    ("BF01", "肥牛卷", "Fatty beef rolls", "BEEF", "g", "F", 180, "", _box(500, 20), "68/kg", "15 kg", "SW"),
    ("BF02", "精品肥牛", "Premium fatty beef", "BEEF", "g", "F", 180, "", _box(500, 20), "98/kg", "8 kg", "SW"),
    ("BF03", "鲜切牛肉", "Fresh-cut beef", "BEEF", "g", "C", 3, "", _bag(2, "kg"), "88/kg", "6 kg", "S"),
    ("BF04", "麻辣牛肉", "Spicy marinated beef", "BEEF", "g", "C", 3, "soybeans", _bag(1, "kg"), "72/kg", "5 kg", "S"),
    ("BF05", "牛舌", "Beef tongue", "BEEF", "g", "F", 180, "", _bag(1, "kg"), "120/kg", "3 kg", "SW"),
    ("BF06", "雪花牛肉", "Marbled beef", "BEEF", "g", "F", 180, "", _box(250, 40), "220/kg", "3 kg", "SW"),
    # Lamb, pork, poultry
    ("LB01", "羊肉卷", "Lamb rolls", "LAMB", "g", "F", 180, "", _box(500, 20), "78/kg", "10 kg", "SW"),
    ("LB02", "精品羔羊肉", "Premium lamb slices", "LAMB", "g", "F", 180, "", _box(500, 20), "110/kg", "4 kg", "SW"),
    ("PK01", "午餐肉", "Luncheon meat", "PORK", "g", "A", 540, "", (("can", "罐", "Can", 340, "g"), ("case", "箱", "Case", 24, "can")), "14/can", "2 case", "SW"),
    ("PK02", "五花肉片", "Pork belly slices", "PORK", "g", "F", 180, "", _box(500, 20), "38/kg", "5 kg", "SW"),
    ("PK03", "小酥肉", "Crispy fried pork", "PORK", "g", "F", 180, "gluten eggs", _bag(1, "kg", 10), "42/kg", "6 kg", "SW"),
    ("PK04", "火腿肠", "Ham sausage", "PORK", "g", "A", 180, "soybeans", (("stick", "根", "Stick", 60, "g"), ("bag", "袋", "Bag", 10, "stick")), "1.2/stick", "3 bag", "SW"),
    ("PK05", "猪筒骨", "Pork leg bones", "PORK", "g", "F", 180, "", _bag(10, "kg"), "14/kg", "6 bag", "CW"),
    ("PL01", "无骨鸭掌", "Boneless duck feet", "POULTRY", "g", "F", 180, "", _bag(1, "kg"), "55/kg", "2 kg", "SW"),
    ("PL02", "鸡胗", "Chicken gizzards", "POULTRY", "g", "F", 180, "", _bag(1, "kg"), "28/kg", "2 kg", "W"),
    ("PL03", "老母鸡", "Stewing hens", "POULTRY", "g", "F", 180, "", (), "24/kg", "20 kg", "CW"),
    # Tripe and offal
    ("OF01", "毛肚", "Beef tripe (maodu)", "OFFAL", "g", "C", 3, "", _bag(1, "kg", 10), "58/kg", "8 kg", "S"),
    ("OF02", "千层肚", "Beef omasum", "OFFAL", "g", "F", 180, "", _bag(1, "kg"), "45/kg", "4 kg", "SW"),
    ("OF03", "鸭肠", "Duck intestines", "OFFAL", "g", "C", 2, "", _bag(500), "36/kg", "4 kg", "S"),
    ("OF04", "黄喉", "Beef aorta (huanghou)", "OFFAL", "g", "C", 3, "", _bag(1, "kg"), "62/kg", "3 kg", "S"),
    ("OF05", "鹅肠", "Goose intestines", "OFFAL", "g", "C", 2, "", _bag(500), "70/kg", "2 kg", "S"),
    ("OF06", "猪脑花", "Pork brain", "OFFAL", "g", "F", 90, "", _box(250), "40/kg", "1 kg", "S"),
    ("OF07", "鸭血", "Duck blood curd", "OFFAL", "g", "C", 7, "", _box(400, 20), "8/box", "40 box", "S"),
    # Seafood
    ("SF01", "鲜虾", "Fresh white shrimp", "SEAFOOD", "g", "C", 2, "crustaceans", (), "45/jin", "3 kg", "S"),
    ("SF02", "鱿鱼", "Squid", "SEAFOOD", "g", "F", 180, "molluscs", _bag(1, "kg"), "38/kg", "3 kg", "SW"),
    ("SF03", "巴沙鱼片", "Basa fish fillet", "SEAFOOD", "g", "F", 365, "fish", _bag(1, "kg", 10), "26/kg", "4 kg", "SW"),
    ("SF04", "黑鱼片", "Snakehead fish slices", "SEAFOOD", "g", "C", 2, "fish", _bag(500), "60/kg", "2 kg", "S"),
    ("SF05", "扇贝", "Half-shell scallops", "SEAFOOD", "each", "F", 180, "molluscs", (("box", "盒", "Box", 12, "each"), ("case", "箱", "Case", 10, "box")), "36/box", "5 box", "SW"),
    ("SF06", "蟹棒", "Crab sticks", "SEAFOOD", "g", "F", 365, "fish eggs gluten", _bag(500), "24/kg", "2 kg", "W"),
    ("SF07", "花甲", "Clams", "SEAFOOD", "g", "C", 2, "molluscs", (), "18/kg", "3 kg", "S"),
    ("SF08", "虾仁", "Peeled shrimp", "SEAFOOD", "g", "F", 365, "crustaceans", _box(500), "90/kg", "1 kg", "W"),
    # Leafy greens
    ("VG01", "生菜", "Lettuce", "LEAFY", "g", "C", 3, "", BASKET, "8/kg", "5 kg", "S"),
    ("VG02", "娃娃菜", "Baby napa cabbage", "LEAFY", "g", "C", 7, "", (("bag", "袋", "Bag", 1500, "g"),), "12/bag", "6 bag", "S"),
    ("VG03", "菠菜", "Spinach", "LEAFY", "g", "C", 3, "", (), "7/jin", "3 kg", "S"),
    ("VG04", "茼蒿", "Crown daisy", "LEAFY", "g", "C", 3, "", (), "8/jin", "3 kg", "S"),
    ("VG05", "油麦菜", "Indian lettuce", "LEAFY", "g", "C", 3, "", (), "5/jin", "3 kg", "S"),
    ("VG06", "大白菜", "Napa cabbage", "LEAFY", "g", "C", 10, "", BASKET, "3/kg", "8 kg", "S"),
    ("VG07", "香菜", "Coriander", "LEAFY", "g", "C", 3, "", (), "12/jin", "1 kg", "S"),
    ("VG08", "小葱", "Spring onions", "LEAFY", "g", "C", 5, "", (), "6/jin", "1 kg", "SC"),
    ("VG09", "豆芽", "Bean sprouts", "LEAFY", "g", "C", 2, "", (), "3/jin", "3 kg", "S"),
    ("VG10", "空心菜", "Water spinach", "LEAFY", "g", "C", 2, "", (), "5/jin", "2 kg", "S"),
    ("VG11", "豌豆尖", "Pea shoots", "LEAFY", "g", "C", 2, "", (), "15/jin", "2 kg", "S"),
    # Roots, gourds and fruit vegetables
    ("VG20", "土豆", "Potatoes", "ROOT", "g", "A", 30, "", SACK_25, "3/kg", "10 kg", "S"),
    ("VG21", "莲藕", "Lotus root", "ROOT", "g", "C", 10, "", BASKET, "10/kg", "5 kg", "S"),
    ("VG22", "冬瓜", "Winter melon", "ROOT", "g", "A", 14, "", (), "2/jin", "8 kg", "S"),
    ("VG23", "山药", "Chinese yam", "ROOT", "g", "C", 14, "", (), "8/jin", "3 kg", "S"),
    ("VG24", "红薯", "Sweet potatoes", "ROOT", "g", "A", 30, "", SACK_25, "4/kg", "4 kg", "S"),
    ("VG25", "玉米", "Sweet corn", "ROOT", "g", "C", 5, "", BASKET, "6/kg", "4 kg", "S"),
    ("VG26", "生姜", "Ginger", "ROOT", "g", "A", 30, "", (), "12/kg", "1 kg", "SC"),
    ("VG27", "大蒜", "Garlic", "ROOT", "g", "A", 60, "", SACK_25, "10/kg", "2 kg", "C"),
    ("VG28", "番茄", "Tomatoes", "ROOT", "g", "C", 7, "", BASKET, "7/kg", "20 kg", "SC"),
    ("VG29", "青笋", "Celtuce", "ROOT", "g", "C", 7, "", (), "4/jin", "3 kg", "S"),
    ("VG30", "芋头", "Taro", "ROOT", "g", "A", 30, "", (), "5/jin", "3 kg", "S"),
    ("VG31", "小米辣", "Bird's-eye chillies", "ROOT", "g", "C", 7, "", (), "20/kg", "1 kg", "S"),
    ("VG32", "洋葱", "Onions", "ROOT", "g", "A", 30, "", SACK_25, "3/kg", "10 kg", "C"),
    ("VG33", "海带结", "Kelp knots", "VEG", "g", "C", 7, "", _bag(1, "kg"), "9/kg", "3 kg", "S"),
    # Mushrooms
    ("MS01", "金针菇", "Enoki mushrooms", "MUSHROOM", "g", "C", 7, "", _bag(200, "g", 25), "2/bag", "15 bag", "S"),
    ("MS02", "香菇", "Shiitake mushrooms", "MUSHROOM", "g", "C", 7, "", (), "14/kg", "2 kg", "SC"),
    ("MS03", "平菇", "Oyster mushrooms", "MUSHROOM", "g", "C", 3, "", (), "9/kg", "2 kg", "S"),
    ("MS04", "杏鲍菇", "King oyster mushrooms", "MUSHROOM", "g", "C", 10, "", (), "10/kg", "2 kg", "S"),
    ("MS05", "蟹味菇", "Shimeji mushrooms", "MUSHROOM", "g", "C", 10, "", _box(150), "4/box", "10 box", "S"),
    ("MS06", "黑木耳", "Dried wood ear", "MUSHROOM", "g", "A", 365, "", _bag(500), "60/kg", "1 kg", "SW"),
    ("MS07", "牛肝菌", "Frozen porcini", "MUSHROOM", "g", "F", 365, "", _bag(1, "kg"), "85/kg", "3 kg", "CW"),
    ("MS08", "竹荪", "Dried bamboo fungus", "MUSHROOM", "g", "A", 365, "", _bag(250), "320/kg", "500 g", "W"),
    # Soy products
    ("SY01", "老豆腐", "Firm tofu", "SOY", "g", "C", 3, "soybeans", (("board", "板", "Board", 2500, "g"),), "15/board", "3 board", "S"),
    ("SY02", "嫩豆腐", "Silken tofu", "SOY", "g", "C", 5, "soybeans", _box(350, 24), "2.5/box", "20 box", "S"),
    ("SY03", "冻豆腐", "Frozen tofu", "SOY", "g", "F", 180, "soybeans", _bag(1, "kg"), "12/kg", "3 kg", "SW"),
    ("SY04", "腐竹", "Dried bean curd sticks", "SOY", "g", "A", 365, "soybeans", _bag(500, "g", 20), "30/kg", "2 kg", "SW"),
    ("SY05", "豆皮", "Tofu skin", "SOY", "g", "C", 5, "soybeans", _bag(500), "16/kg", "2 kg", "S"),
    ("SY06", "油豆皮", "Fried tofu skin", "SOY", "g", "C", 7, "soybeans", _bag(500), "26/kg", "2 kg", "S"),
    ("SY07", "豆泡", "Tofu puffs", "SOY", "g", "C", 7, "soybeans", _bag(500), "18/kg", "2 kg", "S"),
    ("SY08", "千张", "Thin tofu sheets", "SOY", "g", "C", 5, "soybeans", _bag(500), "14/kg", "2 kg", "S"),
    # Balls and pastes
    ("BL01", "虾滑", "Shrimp paste", "BALLS", "g", "F", 180, "crustaceans", _bag(500, "g", 20), "75/kg", "8 kg", "SW"),
    ("BL02", "潮汕牛肉丸", "Chaoshan beef balls", "BALLS", "g", "F", 180, "", _bag(1, "kg", 10), "48/kg", "5 kg", "SW"),
    ("BL03", "撒尿牛丸", "Filled beef balls", "BALLS", "g", "F", 180, "gluten soybeans", _bag(1, "kg", 10), "36/kg", "3 kg", "SW"),
    ("BL04", "鱼丸", "Fish balls", "BALLS", "g", "F", 180, "fish", _bag(1, "kg", 10), "22/kg", "3 kg", "SW"),
    ("BL05", "墨鱼滑", "Cuttlefish paste", "BALLS", "g", "F", 180, "molluscs", _bag(500, "g", 20), "68/kg", "3 kg", "SW"),
    ("BL06", "鱼豆腐", "Fish tofu", "BALLS", "g", "F", 180, "fish eggs soybeans", _bag(1, "kg", 10), "20/kg", "3 kg", "SW"),
    ("BL07", "猪肉丸", "Pork balls", "BALLS", "g", "F", 180, "", _bag(1, "kg", 10), "30/kg", "3 kg", "SW"),
    ("BL08", "油面筋", "Fried gluten balls", "BALLS", "g", "A", 90, "gluten", _bag(250), "24/kg", "1 kg", "W"),
    ("BL09", "芝心丸", "Cheese-filled balls", "BALLS", "g", "F", 180, "milk gluten", _bag(500, "g", 20), "40/kg", "2 kg", "SW"),
    # Staples
    ("ST01", "大米", "Rice", "STAPLE", "g", "A", 365, "", SACK_25, "110/sack", "1 sack", "SW"),
    ("ST02", "宽粉", "Wide sweet-potato noodles", "STAPLE", "g", "A", 365, "", _bag(250, "g", 40), "3.5/bag", "20 bag", "SW"),
    ("ST03", "红薯粉", "Sweet-potato vermicelli", "STAPLE", "g", "A", 365, "", _bag(500), "14/kg", "3 kg", "SW"),
    ("ST04", "火锅面", "Fresh hot-pot noodles", "STAPLE", "g", "C", 7, "gluten", _bag(500), "8/kg", "3 kg", "S"),
    ("ST05", "乌冬面", "Udon noodles", "STAPLE", "g", "F", 365, "gluten", (("pack", "包", "Pack", 200, "g"), ("case", "箱", "Case", 30, "pack")), "2.2/pack", "20 pack", "SW"),
    ("ST06", "年糕", "Rice cakes", "STAPLE", "g", "C", 30, "", _bag(500), "10/kg", "2 kg", "SW"),
    ("ST07", "粉丝", "Mung-bean vermicelli", "STAPLE", "g", "A", 365, "", _bag(500, "g", 20), "16/kg", "2 kg", "W"),
    ("ST08", "面粉", "Wheat flour", "STAPLE", "g", "A", 365, "gluten", SACK_25, "95/sack", "1 sack", "W"),
    ("ST09", "红糖糍粑", "Brown-sugar rice cakes", "STAPLE", "g", "F", 180, "", _box(500, 20), "26/kg", "3 kg", "SW"),
    ("ST10", "小馒头", "Mini steamed buns", "STAPLE", "each", "F", 180, "gluten milk", (("bag", "袋", "Bag", 20, "each"), ("case", "箱", "Case", 10, "bag")), "8/bag", "10 bag", "SW"),
    ("ST11", "油条", "Fried dough sticks", "STAPLE", "each", "F", 180, "gluten", (("bag", "袋", "Bag", 10, "each"), ("case", "箱", "Case", 10, "bag")), "9/bag", "6 bag", "SW"),
    # Oils and fats
    ("OL01", "牛油", "Beef tallow", "OIL", "g", "A", 365, "", (("case", "箱", "Case", 20, "kg"),), "26/kg", "2 case", "CW"),
    ("OL02", "菜籽油", "Rapeseed oil", "OIL", "ml", "A", 365, "", BARREL_20L, "230/barrel", "2 barrel", "SCW"),
    ("OL03", "香油", "Sesame oil", "OIL", "ml", "A", 365, "sesame", _bottle(400, 12), "16/bottle", "1 case", "SW"),
    # Spices and dry seasonings
    ("SP01", "二荆条干辣椒", "Dried erjingtiao chillies", "SPICE", "g", "A", 365, "", _bag(5, "kg"), "42/kg", "2 bag", "SCW"),
    ("SP02", "汉源花椒", "Hanyuan Sichuan peppercorns", "SPICE", "g", "A", 365, "", _bag(500), "120/kg", "3 kg", "SCW"),
    ("SP03", "八角", "Star anise", "SPICE", "g", "A", 365, "", _bag(500), "60/kg", "1 kg", "CW"),
    ("SP04", "桂皮", "Cassia bark", "SPICE", "g", "A", 365, "", _bag(500), "36/kg", "1 kg", "CW"),
    ("SP05", "香叶", "Bay leaves", "SPICE", "g", "A", 365, "", _bag(250), "48/kg", "500 g", "CW"),
    ("SP06", "冰糖", "Rock sugar", "SPICE", "g", "A", 730, "", _bag(1, "kg", 20), "9/kg", "5 kg", "CW"),
    ("SP07", "食盐", "Salt", "SPICE", "g", "A", 1095, "", _bag(500, "g", 20), "2/bag", "10 bag", "SCW"),
    ("SP08", "味精", "MSG", "SPICE", "g", "A", 730, "", _bag(1, "kg", 20), "12/kg", "2 kg", "SW"),
    ("SP09", "白芝麻", "White sesame seeds", "SPICE", "g", "A", 365, "sesame", _bag(1, "kg"), "22/kg", "2 kg", "SCW"),
    ("SP10", "花生碎", "Crushed peanuts", "SPICE", "g", "A", 180, "peanuts", _bag(1, "kg"), "20/kg", "2 kg", "SW"),
    ("SP11", "鸡精", "Chicken bouillon powder", "SPICE", "g", "A", 540, "", _bag(1, "kg", 12), "18/kg", "2 kg", "SCW"),
    # Sauces and condiments
    ("SC01", "郫县豆瓣", "Pixian chilli bean paste", "SAUCE", "g", "A", 540, "soybeans gluten", (("tub", "桶", "Tub", 5, "kg"),), "60/tub", "4 tub", "CW"),
    ("SC02", "芝麻酱", "Sesame paste", "SAUCE", "g", "A", 365, "sesame peanuts", (("tub", "桶", "Tub", 2500, "g"),), "55/tub", "3 tub", "CW"),
    ("SC03", "蚝油", "Oyster sauce", "SAUCE", "g", "A", 540, "molluscs gluten", (("bottle", "瓶", "Bottle", 700, "g"), ("case", "箱", "Case", 12, "bottle")), "12/bottle", "6 bottle", "SW"),
    ("SC04", "生抽", "Light soy sauce", "SAUCE", "ml", "A", 540, "soybeans gluten", _bottle(500, 12), "9/bottle", "12 bottle", "SCW"),
    ("SC05", "山西陈醋", "Shanxi aged vinegar", "SAUCE", "ml", "A", 730, "gluten", _bottle(500, 12), "8/bottle", "12 bottle", "SW"),
    ("SC06", "番茄酱", "Tomato paste", "SAUCE", "g", "A", 730, "", (("can", "罐", "Can", 850, "g"), ("case", "箱", "Case", 12, "can")), "16/can", "2 case", "CW"),
    ("SC07", "醪糟", "Fermented glutinous rice", "SAUCE", "g", "C", 60, "", (("tub", "桶", "Tub", 1, "kg"),), "14/tub", "10 tub", "C"),
    ("SC08", "腐乳", "Fermented tofu", "SAUCE", "g", "A", 365, "soybeans", (("jar", "瓶", "Jar", 300, "g"), ("case", "箱", "Case", 24, "jar")), "7/jar", "6 jar", "SCW"),
    ("SC09", "韭菜花酱", "Chive flower sauce", "SAUCE", "g", "A", 365, "", (("jar", "瓶", "Jar", 250, "g"), ("case", "箱", "Case", 24, "jar")), "6/jar", "6 jar", "SCW"),
    ("SC10", "沙茶酱", "Shacha sauce", "SAUCE", "g", "A", 540, "fish soybeans", (("can", "罐", "Can", 350, "g"), ("case", "箱", "Case", 24, "can")), "15/can", "6 can", "SW"),
    ("SC11", "蒜蓉辣酱", "Garlic chilli sauce", "SAUCE", "g", "A", 365, "soybeans", (("jar", "瓶", "Jar", 500, "g"), ("case", "箱", "Case", 12, "jar")), "11/jar", "6 jar", "SW"),
    ("SC12", "料酒", "Shaoxing cooking wine", "SAUCE", "ml", "A", 730, "gluten", _bottle(500, 12), "6/bottle", "6 bottle", "CW"),
    # Eggs and dairy
    ("DY01", "鸡蛋", "Eggs", "DAIRY", "each", "C", 30, "eggs", EGG_TRAY, "24/tray", "3 tray", "S"),
    ("DY02", "去壳鹌鹑蛋", "Peeled quail eggs", "DAIRY", "g", "C", 15, "eggs", _bag(500), "28/kg", "2 kg", "S"),
    ("DY03", "纯牛奶", "UHT milk", "DAIRY", "ml", "A", 180, "milk", (("carton", "盒", "Carton", 250, "ml"), ("case", "箱", "Case", 24, "carton")), "3/carton", "2 case", "SW"),
    ("DY04", "芝士片", "Cheese slices", "DAIRY", "g", "C", 90, "milk", (("pack", "包", "Pack", 200, "g"),), "18/pack", "5 pack", "W"),
    ("DY05", "酸奶", "Drinking yogurt", "DAIRY", "ml", "C", 21, "milk", _bottle(200, 24), "3.5/bottle", "2 case", "W"),
    # Drinks
    ("BR01", "雪花啤酒", "Snow beer", "BEER", "ml", "A", 365, "gluten", _bottle(500, 12), "4.5/bottle", "8 case", "SW"),
    ("BR02", "青岛啤酒", "Tsingtao beer", "BEER", "ml", "A", 365, "gluten", _bottle(500, 12), "5.5/bottle", "6 case", "SW"),
    ("BR03", "百威啤酒", "Budweiser", "BEER", "ml", "A", 365, "gluten", _can(500, 12), "7/can", "3 case", "SW"),
    ("BR04", "乌苏啤酒", "Wusu beer", "BEER", "ml", "A", 365, "gluten", _bottle(620, 12), "6.5/bottle", "3 case", "SW"),
    ("SD01", "可口可乐", "Coca-Cola", "SOFT", "ml", "A", 365, "", _can(330, 24), "2.2/can", "4 case", "SW"),
    ("SD02", "雪碧", "Sprite", "SOFT", "ml", "A", 365, "", _can(330, 24), "2.2/can", "3 case", "SW"),
    ("SD03", "王老吉", "Wong Lo Kat herbal tea", "SOFT", "ml", "A", 540, "", _can(310, 24), "2.8/can", "6 case", "SW"),
    ("SD04", "唯怡豆奶", "Weiyi soy milk", "SOFT", "ml", "A", 270, "soybeans peanuts", _bottle(245, 24), "3.2/bottle", "4 case", "SW"),
    ("SD05", "酸梅汤浓缩液", "Sour plum drink concentrate", "SOFT", "ml", "A", 365, "", _bottle(1000, 12), "18/bottle", "6 bottle", "SW"),
    ("SD06", "矿泉水", "Mineral water", "SOFT", "ml", "A", 540, "", _bottle(550, 24), "1.1/bottle", "3 case", "SW"),
    ("SD07", "椰树椰汁", "Coconut milk drink", "SOFT", "ml", "A", 540, "", _can(245, 24), "3.3/can", "3 case", "SW"),
    ("SD08", "鲜榨橙汁", "Orange juice", "SOFT", "ml", "C", 14, "", _bottle(1000, 12), "15/bottle", "6 bottle", "S"),
    ("LQ01", "江小白", "Jiang Xiaobai baijiu", "LIQUOR", "ml", "A", 1095, "", _bottle(100, 24), "14/bottle", "1 case", "SW"),
    ("LQ02", "红星二锅头", "Red Star erguotou", "LIQUOR", "ml", "A", 1095, "", _bottle(500, 12), "18/bottle", "6 bottle", "SW"),
    # Prepared in the central kitchen; the price is the standard cost of a bag.
    ("PR01", "牛油锅底料", "Beef-tallow hot-pot base", "PREPARED", "g", "C", 90, "soybeans gluten", _bag(500, "g", 20), "21/bag", "60 bag", "SC"),
    ("PR02", "番茄锅底", "Tomato broth base", "PREPARED", "g", "C", 5, "", _bag(1, "kg", 10), "16/bag", "20 bag", "SC"),
    ("PR03", "菌汤锅底", "Mushroom broth base", "PREPARED", "g", "F", 90, "", _bag(1, "kg", 10), "24/bag", "15 bag", "SC"),
    ("PR04", "清汤锅底", "Clear bone broth", "PREPARED", "g", "F", 90, "", _bag(2, "kg", 6), "14/bag", "10 bag", "SC"),
    ("PR05", "麻酱蘸料", "Sesame dipping sauce", "PREPARED", "g", "C", 7, "sesame peanuts soybeans", _bag(1, "kg", 10), "30/bag", "10 bag", "SC"),
    ("PR06", "秘制辣椒油", "House chilli oil", "PREPARED", "g", "A", 90, "sesame", (("tub", "桶", "Tub", 5, "kg"),), "120/tub", "3 tub", "SC"),
    ("PR07", "蒜泥", "Minced garlic", "PREPARED", "g", "C", 3, "", _box(500), "8/box", "10 box", "SC"),
    # Packaging and consumables
    ("PA01", "外卖打包盒", "Takeaway container 750 ml", "PACKAGING", "each", "A", None, "", (("sleeve", "条", "Sleeve", 50, "each"), ("case", "箱", "Case", 6, "sleeve")), "0.6/each", "1 case", "SW"),
    ("PA02", "外卖锅底碗", "Takeaway broth bowl 1000 ml", "PACKAGING", "each", "A", None, "", (("case", "箱", "Case", 200, "each"),), "180/case", "1 case", "SW"),
    ("PA03", "外卖打包袋", "Takeaway bags", "PACKAGING", "each", "A", None, "", (("bundle", "扎", "Bundle", 100, "each"),), "15/bundle", "3 bundle", "SW"),
    ("PA04", "一次性手套", "Disposable gloves", "PACKAGING", "each", "A", None, "", (("box", "盒", "Box", 100, "each"), ("case", "箱", "Case", 20, "box")), "6/box", "10 box", "SW"),
    ("PA05", "餐巾纸", "Napkins", "PACKAGING", "each", "A", None, "", (("pack", "包", "Pack", 100, "each"), ("case", "箱", "Case", 40, "pack")), "2.5/pack", "1 case", "SW"),
    ("PA06", "一次性围裙", "Disposable aprons", "PACKAGING", "each", "A", None, "", (("bag", "袋", "Bag", 50, "each"),), "10/bag", "6 bag", "SW"),
    ("PA07", "湿巾", "Wet wipes", "PACKAGING", "each", "A", 730, "", (("case", "箱", "Case", 1000, "each"),), "120/case", "1 case", "SW"),
    ("PA08", "洗洁精", "Dish detergent", "PACKAGING", "ml", "A", 1095, "", BARREL_5L, "35/barrel", "3 barrel", "SCW"),
    ("PA09", "消毒液", "Disinfectant", "PACKAGING", "ml", "A", 730, "", BARREL_5L, "28/barrel", "2 barrel", "SCW"),
    ("PA10", "保鲜膜", "Cling film roll", "PACKAGING", "each", "A", None, "", (("case", "箱", "Case", 6, "each"),), "90/case", "4 each", "SCW"),
    ("PA11", "垃圾袋", "Bin bags", "PACKAGING", "each", "A", None, "", (("roll", "卷", "Roll", 30, "each"), ("case", "箱", "Case", 50, "roll")), "4/roll", "10 roll", "SCW"),
)
# fmt: on
ITEMS: tuple[ItemRow, ...] = tuple(ItemRow(*row) for row in _ITEMS)
ITEMS_BY_CODE = {row.code: row for row in ITEMS}

# Storage areas of each kind of location, in walking order:
# (code, name, English name, storage conditions kept there).
STORE_AREAS = (
    ("COOL", "冷库", "Walk-in cooler", "C"),
    ("FRZ", "冻库", "Freezer", "F"),
    ("DRY", "干货仓", "Dry store", "A"),
    ("BAR", "吧台", "Bar", ""),
)
KITCHEN_AREAS = (
    ("RAW", "原料冷库", "Raw materials cooler", "C"),
    ("FRZ", "冻库", "Freezer", "F"),
    ("DRY", "干货仓", "Dry store", "A"),
    ("OUT", "成品冷库", "Finished goods cooler", ""),
)
WAREHOUSE_AREAS = (
    ("AMB", "常温区", "Ambient zone", "A"),
    ("COOL", "冷藏区", "Chilled zone", "C"),
    ("FRZ", "冷冻区", "Frozen zone", "F"),
)
# Drinks stand at a store's bar; prepared items in the kitchen's finished goods cooler.
BAR_ROOT = "DRINKS"
FINISHED_ROOT = "PREPARED"

# Size of each location against a standard store: par levels scale with it (the kitchen
# and the warehouse serve all twelve stores).
LOCATION_SIZES = {
    "SH01": "1.3",
    "SH02": "1.0",
    "SH03": "0.8",
    "HZ01": "1.1",
    "GZ01": "1.2",
    "GZ02": "0.7",
    "SH04": "0.9",
    "SH05": "1.2",
    "HZ02": "1.0",
    "HZ03": "0.8",
    "GZ03": "1.1",
    "GZ04": "0.75",
    "CK01": "8",
    "WH01": "10",
}
# Minimum and maximum as shares of the par level.
MIN_SHARE = "0.4"
MAX_SHARE = "1.6"

# Chinese GTIN company prefix (690-699) of the drinks' bottles and cans; cases get a GTIN-14.
GTIN_PREFIXES = {
    "BR01": "690123400001",
    "BR02": "690265800002",
    "BR03": "690481500003",
    "BR04": "690532100004",
    "SD01": "690103400011",
    "SD02": "690103400012",
    "SD03": "690295100013",
    "SD04": "690612300014",
    "SD06": "690745600016",
    "SD07": "690853200017",
    "LQ01": "690911100021",
    "LQ02": "690922200022",
}
