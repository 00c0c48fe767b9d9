# ruff: noqa: E501 (one supplier per line reads as a table; wrapping would hide the columns)
"""The demo chain's suppliers: who sells what, where they deliver, on which days, at what price.

Tables of tuples, read by boh.demo.loaders.suppliers. A supplier sells the items of the
categories it lists (and the items listed by code), in the item's largest pack, or per
斤 for loose produce; its current price is the catalog's price times its price factor.
"""

from __future__ import annotations

from typing import Any

# fmt: off
# (code, name, English name, tax id without its check character, payment terms, days,
#  phone, address, contact (name, title, phone, email),
#  delivery weekdays (0 = Monday), order cut-off, lead time in days, minimum order (CNY),
#  regions served (empty: all), locations kinds served (S store, C kitchen, W warehouse),
#  categories sold, item codes sold besides, price factor)
SUPPLIERS: tuple[tuple[Any, ...], ...] = (
    ("MEAT01", "四川川牛肉业有限公司", "Sichuan Chuanniu Meat Co., Ltd.", "91510100MA61R3KX2", "net", 30,
     "028-8562 3301", "成都市新都区物流大道 88 号", ("何志强", "大客户经理", "139 8001 2231", "hezq@chuanniu.example.com"),
     (0, 1, 2, 3, 4, 5), "14:00", 1, "1500", "", "SCW", ("MEAT",), (), "1"),
    ("SEA01", "上海东海水产有限公司", "Shanghai Donghai Seafood Co., Ltd.", "91310115MA1K4N8Y3", "month_end", 30,
     "021-5811 2678", "上海市浦东新区江浦路 1308 号", ("林海燕", "销售主管", "137 6123 4410", "linhy@donghaisea.example.com"),
     (0, 1, 2, 3, 4, 5, 6), "12:00", 1, "800", "", "SW", ("SEAFOOD", "BALLS"), (), "1"),
    ("VEG01", "上海江桥蔬菜配送中心", "Shanghai Jiangqiao Vegetable Distribution", "91310114MA1GT2L56", "net", 15,
     "021-5991 0088", "上海市嘉定区金园一路 1000 号", ("张卫东", "配送调度", "135 0177 8812", "zhangwd@jqveg.example.com"),
     (0, 1, 2, 3, 4, 5, 6), "20:00", 1, "300", "EC", "SC", ("VEG", "MUSHROOM", "SOY"), ("DY01", "DY02", "ST04", "ST06"), "1"),
    ("VEG02", "广州江南果菜批发有限公司", "Guangzhou Jiangnan Produce Wholesale Co., Ltd.", "91440101MA5CQ7W9X", "net", 15,
     "020-8188 6206", "广州市白云区江南大道北 1 号", ("陈嘉欣", "业务经理", "138 2600 7315", "chenjx@jnproduce.example.com"),
     (0, 1, 2, 3, 4, 5, 6), "21:00", 1, "300", "SC", "S", ("VEG", "MUSHROOM", "SOY"), ("DY01", "DY02", "ST04", "ST06"), "0.95"),
    ("DRY01", "成都蜀味调料有限公司", "Chengdu Shuwei Seasonings Co., Ltd.", "91510112MA6CH5P41", "month_end", 45,
     "028-8475 5120", "成都市龙泉驿区航天北路 66 号", ("罗丽", "华东区销售", "186 2818 0906", "luoli@shuwei.example.com"),
     (0,), "10:00", 3, "2000", "", "SCW", ("SPICE", "SAUCE"), ("OL01", "OL03", "OL02"), "1"),
    ("GRAIN01", "华东粮油食品有限公司", "East China Grain and Oil Foods Co., Ltd.", "91320500MA1MX8B2T", "net", 30,
     "0512-6528 3366", "苏州市吴中区吴中大道 2588 号", ("沈建华", "客户经理", "133 1366 2279", "shenjh@ecgrain.example.com"),
     (1, 3), "16:00", 2, "800", "", "SCW", ("STAPLE",), ("OL02",), "1"),
    ("BEV01", "上海百饮酒水贸易有限公司", "Shanghai Baiyin Beverage Trading Co., Ltd.", "91310107MA1G0AWC4", "month_end", 60,
     "021-6250 7788", "上海市普陀区真北路 958 号", ("周斌", "渠道经理", "139 1877 6645", "zhoubin@baiyin.example.com"),
     (2, 5), "15:00", 2, "800", "", "SW", ("DRINKS",), ("DY03", "DY04", "DY05"), "1"),
    ("PACK01", "苏州洁品包装用品有限公司", "Suzhou Jiepin Packaging Supplies Co., Ltd.", "91320506MA1P7DK3R", "net", 30,
     "0512-6612 0451", "苏州市吴中区木渎镇金枫南路 18 号", ("吴倩", "销售代表", "150 6213 5520", "wuqian@jiepin.example.com"),
     (3,), "12:00", 3, "500", "", "SCW", ("PACKAGING",), (), "1"),
)
# fmt: on

# The central kitchen sells its prepared items to the stores as an internal supplier.
KITCHEN_SUPPLIER = ("CK", "上海中央厨房（内部）", "Shanghai Central Kitchen (internal)", "CK01")
KITCHEN_DELIVERY = ((0, 1, 2, 3, 4, 5, 6), "22:00", 1, "0")

# An item sold by several suppliers is ordered from the first listed that sells it, unless
# named here; a regional supplier is preferred at the locations of its region. The others
# quote SECOND_SOURCE_FACTOR more.
PREFERRED = {"OL02": "GRAIN01"}
SECOND_SOURCE_FACTOR = "1.05"

# Price history before the current price: months back and the share of today's price,
# with produce swinging around it by up to PRODUCE_SWING.
PRICE_HISTORY = ((6, "0.94"), (3, "0.97"))
PRODUCE_ROOTS = frozenset({"VEG", "MUSHROOM"})
PRODUCE_MONTHS = 4
PRODUCE_SWING = "0.12"
