from boh.sales.services import ingest_tickets
from boh.inventory.models import StockMove
from tests.sales.conftest import ticket, sale

def test_smoke(world, shop):
    r = ingest_tickets(world.actor, [ticket(world.store_a, sale(quantity=2, modifiers=["LARGE"])), ticket(world.store_a, sale("UNKNOWN"))])
    print([o.as_dict() for o in r.outcomes])
    print(list(StockMove.objects.values_list("item__code","quantity","source_line","flagged")))
    r = ingest_tickets(world.actor, [ticket(world.store_a, sale(quantity=1), external_id="T1")])
    print([o.as_dict() for o in r.outcomes])
    print(list(StockMove.objects.values_list("item__code","quantity","source_line","reverses_id")))
