"""HTTP operations of the purchasing module, split by subject; mounted at /api/v1/purchasing."""

from ninja import Router

from boh.purchasing.api import invoices, orders, receiving, reports, suppliers

router = Router(tags=["purchasing"])
router.add_router("", suppliers.router)
router.add_router("", orders.router)
router.add_router("", receiving.router)
router.add_router("", invoices.router)
router.add_router("", reports.router)
