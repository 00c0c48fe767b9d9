"""HTTP operations of the purchasing module, split by subject; mounted at /api/v1/purchasing."""

from ninja import Router

from boh.purchasing.api.invoices import router as invoices_router
from boh.purchasing.api.orders import router as orders_router
from boh.purchasing.api.receiving import router as receiving_router
from boh.purchasing.api.reports import router as reports_router
from boh.purchasing.api.suppliers import router as suppliers_router

router = Router(tags=["purchasing"])
router.add_router("", suppliers_router)
router.add_router("", orders_router)
router.add_router("", receiving_router)
router.add_router("", invoices_router)
router.add_router("", reports_router)
