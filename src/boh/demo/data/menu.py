# ruff: noqa: E501 (one dish per line reads as a table; wrapping would hide the columns)
"""The demo chain's menu: hot-pot bases, dishes to cook in the pot, snacks, staples, drinks.

Tables of tuples, read by boh.demo.loaders.menu. Recipe lines are (item code, quantity,
unit) or (item code, quantity, unit, yield %), in grams and millilitres or in a pack of
the item; the central kitchen's sub-recipes make the prepared items the stores stock.
Prices are dine-in prices in CNY; delivery platforms charge DELIVERY_MARKUP more.
"""

from __future__ import annotations

from typing import Any

POS_SOURCE = "demo-pos"
DELIVERY_CHANNELS = ("meituan", "eleme")
# Delivery prices are the dine-in price times this, rounded up to the yuan.
DELIVERY_MARKUP = "1.12"

# (code, name, English name, sort order)
MENU_CATEGORIES = (
    ("BROTH", "锅底", "Hot-pot bases", 10),
    ("MEAT", "荤菜", "Meat and seafood", 20),
    ("VEG", "素菜", "Vegetables and tofu", 30),
    ("SNACK", "小吃", "Snacks", 40),
    ("STAPLE", "主食", "Staples", 50),
    ("SAUCE", "小料", "Dipping sauces", 60),
    ("DRINK", "饮品", "Drinks", 70),
    ("SET", "套餐", "Set meals", 80),
    ("OTHER", "其他", "Other charges", 90),
)

# fmt: off
# (code, name, English name, min choices, max choices, options), an option being
# (code, POS code, name, English name, price change, recipe delta lines).
MODIFIER_GROUPS: tuple[tuple[Any, ...], ...] = (
    ("SPICE", "辣度", "Spice level", 1, 1, (
        ("MILD", "S1", "微辣", "Mild", "0", (("SP01", -10, "g"),)),
        ("MEDIUM", "S2", "中辣", "Medium", "0", ()),
        ("HOT", "S3", "特辣", "Extra hot", "0", (("SP01", 20, "g"), ("SP02", 5, "g"))),
    )),
    ("EXTRA", "加料", "Extras", 0, 3, (
        ("TALLOW", "A1", "加牛油", "Extra tallow base", "8", (("PR01", 100, "g"),)),
        ("TOMATO", "A2", "加番茄", "Extra tomatoes", "5", (("VG28", 200, "g"),)),
        ("MUSHROOM", "A3", "加菌菇", "Extra mushrooms", "6", (("MS02", 50, "g"),)),
    )),
    ("NOHERB", "忌口", "Leave out", 0, 2, (
        ("NOCORIANDER", "N1", "不要香菜", "No coriander", "0", (("VG07", -5, "g"),)),
        ("NOSCALLION", "N2", "不要葱", "No spring onions", "0", (("VG08", -5, "g"),)),
    )),
)

# (code, POS code, name, English name, category, dine-in price, sold for delivery,
#  modifier groups, recipe lines)
DISHES: tuple[tuple[Any, ...], ...] = (
    ("M001", "1001", "牛油红锅", "Beef-tallow spicy pot", "BROTH", "58", True, "SPICE EXTRA", (("PR01", 400, "g"), ("SP01", 20, "g"), ("SP02", 10, "g"))),
    ("M002", "1002", "番茄锅", "Tomato pot", "BROTH", "48", True, "EXTRA", (("PR02", 1000, "g"), ("VG28", 150, "g", 90))),
    ("M003", "1003", "菌汤锅", "Mushroom pot", "BROTH", "52", True, "EXTRA", (("PR03", 1000, "g"), ("MS02", 50, "g"))),
    ("M004", "1004", "清汤锅", "Clear broth pot", "BROTH", "38", True, "EXTRA", (("PR04", 1000, "g"), ("VG26", 10, "g"), ("VG08", 10, "g"))),
    ("M005", "1005", "鸳鸯锅", "Two-flavour pot", "BROTH", "68", True, "SPICE EXTRA", (("PR01", 250, "g"), ("PR02", 600, "g"), ("SP01", 10, "g"))),
    ("M006", "1006", "九宫格红锅", "Nine-grid spicy pot", "BROTH", "62", False, "SPICE EXTRA", (("PR01", 600, "g"), ("SP01", 20, "g"), ("SP02", 10, "g"))),
    ("M101", "2001", "精品肥牛", "Premium fatty beef", "MEAT", "58", True, "", (("BF02", 150, "g"),)),
    ("M102", "2002", "肥牛卷", "Fatty beef rolls", "MEAT", "42", True, "", (("BF01", 150, "g"),)),
    ("M103", "2003", "鲜切牛肉", "Fresh-cut beef", "MEAT", "52", False, "", (("BF03", 120, "g", 90),)),
    ("M104", "2004", "麻辣牛肉", "Spicy marinated beef", "MEAT", "42", True, "", (("BF04", 120, "g"),)),
    ("M105", "2005", "鲜毛肚", "Fresh beef tripe", "MEAT", "48", True, "", (("OF01", 150, "g"),)),
    ("M106", "2006", "千层肚", "Beef omasum", "MEAT", "36", True, "", (("OF02", 120, "g"),)),
    ("M107", "2007", "鲜鸭肠", "Fresh duck intestines", "MEAT", "32", False, "", (("OF03", 120, "g"),)),
    ("M108", "2008", "黄喉", "Beef aorta", "MEAT", "36", True, "", (("OF04", 120, "g"),)),
    ("M109", "2009", "鹅肠", "Goose intestines", "MEAT", "42", False, "", (("OF05", 100, "g"),)),
    ("M110", "2010", "羊肉卷", "Lamb rolls", "MEAT", "42", True, "", (("LB01", 150, "g"),)),
    ("M111", "2011", "精品羔羊肉", "Premium lamb", "MEAT", "56", True, "", (("LB02", 150, "g"),)),
    ("M112", "2012", "五花肉", "Pork belly", "MEAT", "28", True, "", (("PK02", 150, "g"),)),
    ("M113", "2013", "午餐肉", "Luncheon meat", "MEAT", "22", True, "", (("PK01", 170, "g"),)),
    ("M114", "2014", "牛舌", "Beef tongue", "MEAT", "46", True, "", (("BF05", 100, "g"),)),
    ("M115", "2015", "雪花牛肉", "Marbled beef", "MEAT", "88", True, "", (("BF06", 100, "g"),)),
    ("M116", "2016", "鸭血", "Duck blood curd", "MEAT", "18", True, "", (("OF07", 1, "box"),)),
    ("M117", "2017", "脑花", "Pork brain", "MEAT", "22", False, "", (("OF06", 125, "g"),)),
    ("M118", "2018", "无骨鸭掌", "Boneless duck feet", "MEAT", "36", True, "", (("PL01", 150, "g"),)),
    ("M119", "2019", "虾滑", "Shrimp paste", "MEAT", "42", True, "", (("BL01", 150, "g"),)),
    ("M120", "2020", "墨鱼滑", "Cuttlefish paste", "MEAT", "46", True, "", (("BL05", 150, "g"),)),
    ("M121", "2021", "鲜虾", "Fresh shrimp", "MEAT", "48", False, "", (("SF01", 200, "g"),)),
    ("M122", "2022", "黑鱼片", "Snakehead fish slices", "MEAT", "38", False, "", (("SF04", 150, "g"),)),
    ("M123", "2023", "巴沙鱼片", "Basa fish fillet", "MEAT", "28", True, "", (("SF03", 150, "g"),)),
    ("M124", "2024", "鱿鱼", "Squid", "MEAT", "28", True, "", (("SF02", 150, "g", 90),)),
    ("M125", "2025", "扇贝", "Scallops", "MEAT", "36", False, "", (("SF05", 4, "each"),)),
    ("M126", "2026", "花甲", "Clams", "MEAT", "26", False, "", (("SF07", 300, "g"),)),
    ("M127", "2027", "丸子拼盘", "Ball platter", "MEAT", "32", True, "", (("BL02", 60, "g"), ("BL03", 60, "g"), ("BL04", 60, "g"), ("BL07", 60, "g"))),
    ("M128", "2028", "鱼豆腐", "Fish tofu", "MEAT", "18", True, "", (("BL06", 150, "g"),)),
    ("M129", "2029", "火腿肠", "Ham sausages", "MEAT", "12", True, "", (("PK04", 2, "stick"),)),
    ("M130", "2030", "芝心丸", "Cheese-filled balls", "MEAT", "22", True, "", (("BL09", 120, "g"),)),
    ("M131", "2031", "鹌鹑蛋", "Quail eggs", "MEAT", "16", True, "", (("DY02", 150, "g"),)),
    ("M201", "3001", "蔬菜拼盘", "Vegetable platter", "VEG", "26", True, "", (("VG01", 80, "g", 90), ("VG02", 150, "g", 90), ("VG04", 80, "g", 85), ("VG21", 80, "g", 80), ("VG20", 80, "g", 85), ("MS01", 100, "g"))),
    ("M202", "3002", "娃娃菜", "Baby napa cabbage", "VEG", "12", True, "", (("VG02", 300, "g", 90),)),
    ("M203", "3003", "生菜", "Lettuce", "VEG", "10", True, "", (("VG01", 250, "g", 90),)),
    ("M204", "3004", "茼蒿", "Crown daisy", "VEG", "12", True, "", (("VG04", 250, "g", 85),)),
    ("M205", "3005", "土豆片", "Potato slices", "VEG", "10", True, "", (("VG20", 250, "g", 85),)),
    ("M206", "3006", "藕片", "Lotus root slices", "VEG", "14", True, "", (("VG21", 250, "g", 80),)),
    ("M207", "3007", "冬瓜", "Winter melon", "VEG", "10", True, "", (("VG22", 300, "g", 75),)),
    ("M208", "3008", "金针菇", "Enoki mushrooms", "VEG", "14", True, "", (("MS01", 1, "bag"),)),
    ("M209", "3009", "菌菇拼盘", "Mushroom platter", "VEG", "32", True, "", (("MS02", 80, "g"), ("MS03", 80, "g"), ("MS04", 80, "g"), ("MS05", 1, "box"), ("MS01", 100, "g"))),
    ("M210", "3010", "老豆腐", "Firm tofu", "VEG", "12", True, "", (("SY01", 300, "g"),)),
    ("M211", "3011", "冻豆腐", "Frozen tofu", "VEG", "12", True, "", (("SY03", 250, "g"),)),
    ("M212", "3012", "腐竹", "Bean curd sticks", "VEG", "16", True, "", (("SY04", 100, "g"),)),
    ("M213", "3013", "油豆皮", "Fried tofu skin", "VEG", "16", True, "", (("SY06", 150, "g"),)),
    ("M214", "3014", "海带结", "Kelp knots", "VEG", "10", True, "", (("VG33", 200, "g"),)),
    ("M215", "3015", "宽粉", "Wide noodles", "VEG", "12", True, "", (("ST02", 1, "bag"),)),
    ("M216", "3016", "豌豆尖", "Pea shoots", "VEG", "16", False, "", (("VG11", 200, "g", 90),)),
    ("M217", "3017", "玉米", "Sweet corn", "VEG", "12", True, "", (("VG25", 250, "g", 70),)),
    ("M218", "3018", "山药", "Chinese yam", "VEG", "16", True, "", (("VG23", 200, "g", 85),)),
    ("M219", "3019", "豆芽", "Bean sprouts", "VEG", "8", True, "", (("VG09", 250, "g"),)),
    ("M220", "3020", "黑木耳", "Wood ear", "VEG", "14", True, "", (("MS06", 30, "g"),)),
    ("M221", "3021", "嫩豆腐", "Silken tofu", "VEG", "10", True, "", (("SY02", 1, "box"),)),
    ("M222", "3022", "豆制品拼盘", "Soy platter", "VEG", "22", True, "", (("SY05", 80, "g"), ("SY07", 60, "g"), ("SY08", 80, "g"))),
    ("M223", "3023", "时令青菜拼盘", "Seasonal greens platter", "VEG", "18", True, "", (("VG03", 100, "g", 85), ("VG05", 100, "g", 85), ("VG06", 150, "g", 90), ("VG10", 100, "g", 80))),
    ("M224", "3024", "根茎拼盘", "Root vegetable platter", "VEG", "16", True, "", (("VG24", 100, "g", 85), ("VG29", 100, "g", 70), ("VG30", 100, "g", 80))),
    ("M301", "4001", "小酥肉", "Crispy fried pork", "SNACK", "32", True, "", (("PK03", 200, "g"), ("OL02", 30, "ml"))),
    ("M302", "4002", "红糖糍粑", "Brown-sugar rice cakes", "SNACK", "22", True, "", (("ST09", 200, "g"), ("OL02", 30, "ml"))),
    ("M303", "4003", "炸小馒头", "Fried mini buns", "SNACK", "16", True, "", (("ST10", 8, "each"), ("OL02", 30, "ml"), ("DY03", 30, "ml"))),
    ("M304", "4004", "油条", "Fried dough sticks", "SNACK", "10", True, "", (("ST11", 2, "each"),)),
    ("M305", "4005", "蒸蛋羹", "Steamed egg custard", "SNACK", "12", False, "", (("DY01", 2, "each"), ("SC04", 5, "ml"), ("SP07", 1, "g"))),
    ("M401", "5001", "米饭", "Steamed rice", "STAPLE", "3", True, "", (("ST01", 150, "g"),)),
    ("M402", "5002", "手工面", "Fresh noodles", "STAPLE", "8", True, "", (("ST04", 200, "g"),)),
    ("M403", "5003", "乌冬面", "Udon noodles", "STAPLE", "10", True, "", (("ST05", 1, "pack"),)),
    ("M404", "5004", "年糕", "Rice cakes", "STAPLE", "12", True, "", (("ST06", 200, "g"),)),
    ("M405", "5005", "红薯粉", "Sweet-potato vermicelli", "STAPLE", "10", True, "", (("ST03", 100, "g"),)),
    ("M501", "6001", "自选小料", "Sauce bar (per guest)", "SAUCE", "8", True, "NOHERB", (("PR05", 40, "g"), ("PR06", 15, "g"), ("OL03", 20, "ml"), ("PR07", 15, "g"), ("VG07", 5, "g"), ("VG08", 5, "g"), ("SP10", 5, "g"), ("SC03", 5, "g"), ("SC05", 5, "ml"), ("SC10", 5, "g"), ("SC11", 5, "g"), ("SP09", 2, "g"), ("SP11", 1, "g"), ("VG31", 3, "g"), ("SC08", 3, "g"), ("SC09", 3, "g"))),
    ("M502", "6002", "香油碟", "Sesame oil dip", "SAUCE", "5", True, "NOHERB", (("OL03", 30, "ml"), ("PR07", 15, "g"), ("VG07", 5, "g"), ("VG08", 5, "g"), ("SP08", 1, "g"))),
    ("M601", "7001", "雪花啤酒", "Snow beer", "DRINK", "12", False, "", (("BR01", 1, "bottle"),)),
    ("M602", "7002", "青岛啤酒", "Tsingtao beer", "DRINK", "15", False, "", (("BR02", 1, "bottle"),)),
    ("M603", "7003", "百威啤酒", "Budweiser", "DRINK", "18", False, "", (("BR03", 1, "can"),)),
    ("M604", "7004", "乌苏啤酒", "Wusu beer", "DRINK", "16", False, "", (("BR04", 1, "bottle"),)),
    ("M605", "7005", "可口可乐", "Coca-Cola", "DRINK", "6", True, "", (("SD01", 1, "can"),)),
    ("M606", "7006", "雪碧", "Sprite", "DRINK", "6", True, "", (("SD02", 1, "can"),)),
    ("M607", "7007", "王老吉", "Wong Lo Kat", "DRINK", "7", True, "", (("SD03", 1, "can"),)),
    ("M608", "7008", "唯怡豆奶", "Soy milk", "DRINK", "8", True, "", (("SD04", 1, "bottle"),)),
    ("M609", "7009", "酸梅汤（扎）", "Sour plum drink (jug)", "DRINK", "28", False, "", (("SD05", 250, "ml"),)),
    ("M610", "7010", "矿泉水", "Mineral water", "DRINK", "4", True, "", (("SD06", 1, "bottle"),)),
    ("M611", "7011", "椰汁", "Coconut milk drink", "DRINK", "8", True, "", (("SD07", 1, "can"),)),
    ("M612", "7012", "鲜榨橙汁（扎）", "Orange juice (jug)", "DRINK", "38", False, "", (("SD08", 1, "bottle"),)),
    ("M613", "7013", "江小白", "Jiang Xiaobai", "DRINK", "25", False, "", (("LQ01", 1, "bottle"),)),
    ("M614", "7014", "红星二锅头", "Red Star erguotou", "DRINK", "30", False, "", (("LQ02", 1, "bottle"),)),
    ("M801", "8001", "外卖打包费", "Delivery packaging", "OTHER", "3", True, "", (("PA01", 4, "each"), ("PA02", 1, "each"), ("PA03", 1, "each"))),
)

# Set meals: (code, POS code, name, English name, price, sold for delivery,
# components as (dish code, quantity))
SET_MEALS: tuple[tuple[Any, ...], ...] = (
    ("M901", "9001", "双人套餐", "Set for two", "198", True,
     (("M005", 1), ("M102", 1), ("M105", 1), ("M119", 1), ("M201", 1), ("M501", 2), ("M605", 2))),
    ("M902", "9002", "四人套餐", "Set for four", "398", True,
     (("M001", 1), ("M101", 1), ("M105", 1), ("M107", 1), ("M110", 1), ("M119", 1), ("M127", 1),
      ("M201", 1), ("M209", 1), ("M301", 1), ("M501", 4))),
    ("M903", "9003", "单人工作餐", "Lunch set for one", "68", True,
     (("M002", 1), ("M102", 1), ("M202", 1), ("M401", 1))),
)

# The line every delivery ticket carries for its packaging.
DELIVERY_PACKAGING_DISH = "M801"

# Sub-recipes made in the central kitchen: (prepared item code, batch yield, yield unit,
# recipe lines). Stores receive the prepared items and deplete them when they sell a dish.
SUB_RECIPES: tuple[tuple[Any, ...], ...] = (
    ("PR04", 40, "kg", (("PK05", 15, "kg"), ("PL03", 5, "kg"), ("VG26", 500, "g"), ("VG08", 300, "g"), ("SP07", 200, "g"))),
    ("PR01", 10, "kg", (("OL01", 5, "kg"), ("SP01", 1500, "g"), ("SP02", 400, "g"), ("SC01", 1500, "g"), ("VG26", 300, "g", 90), ("VG27", 300, "g", 85), ("SP06", 200, "g"), ("SC07", 500, "g"), ("SP03", 50, "g"), ("SP04", 30, "g"), ("SP05", 20, "g"), ("OL02", 1000, "ml"), ("SC12", 200, "ml"))),
    ("PR02", 20, "kg", (("VG28", 12, "kg", 90), ("SC06", 2, "kg"), ("VG32", 1, "kg", 90), ("SP06", 300, "g"), ("SP07", 150, "g"), ("OL02", 500, "ml"), ("PR04", 5, "kg"))),
    ("PR03", 20, "kg", (("MS07", 2, "kg"), ("MS02", 2, "kg"), ("PR04", 15, "kg"), ("SP07", 100, "g"), ("VG26", 200, "g", 90))),
    ("PR05", 10, "kg", (("SC02", 5, "kg"), ("SC08", 600, "g"), ("SC09", 600, "g"), ("SC04", 500, "ml"), ("SP06", 200, "g"), ("SP11", 50, "g"))),
    ("PR06", 10, "kg", (("OL02", 8, "l"), ("SP01", 2, "kg"), ("SP09", 500, "g"), ("SP02", 200, "g"))),
    ("PR07", 5, "kg", (("VG27", 5500, "g", 90),)),
)
# fmt: on
