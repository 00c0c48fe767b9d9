from decimal import Decimal
from tests.inventory.test_ledger_state import LedgerMachine
from tests.inventory.conftest import make_pantry
from boh.inventory.models import StockMove, Balance, ItemBalance
import boh.inventory.ledger.posting as P

def test_repro(world):
    LedgerMachine.pantry = make_pantry(world)
    state = LedgerMachine()
    try:
        state.policies(policy='allow', inline_limit=3, method='fifo')
        moves_0 = state.receive(back=None, cost=Decimal('0.5'), expiry_days=-1, item=0, loc=1, quantity=Decimal(45), reuse=True)
        moves_1 = state.transfer(item=1, quantity=Decimal(41), to_kitchen=False)
        moves_2 = state.receive(back=11, cost=Decimal('1'), expiry_days=2, item=1, loc=0, quantity=Decimal(52), reuse=False)
        moves_3 = state.transfer(item=1, quantity=Decimal(19), to_kitchen=False)
        moves_4 = state.transfer(item=0, quantity=Decimal(57), to_kitchen=False)
        moves_5 = state.receive(back=9, cost=Decimal('1'), expiry_days=7, item=1, loc=0, quantity=Decimal(37), reuse=True)
        moves_6 = state.receive(back=None, cost=Decimal('1.25'), expiry_days=4, item=1, loc=1, quantity=Decimal(12), reuse=True)
        moves_7 = state.transfer(item=0, quantity=Decimal(52), to_kitchen=True)
        moves_8 = state.receive(back=None, cost=Decimal('3'), expiry_days=1, item=1, loc=1, quantity=Decimal(50), reuse=False)
        moves_9 = state.transfer(item=0, quantity=Decimal(30), to_kitchen=True)
        moves_10 = state.transfer(item=1, quantity=Decimal(48), to_kitchen=True)
        moves_11 = state.receive(back=None, cost=Decimal('0.333333'), expiry_days=3, item=0, loc=0, quantity=Decimal(55), reuse=False)
        moves_12 = state.transfer(item=1, quantity=Decimal(26), to_kitchen=True)
        moves_13 = state.receive(back=3, cost=Decimal('0.5'), expiry_days=7, item=0, loc=0, quantity=Decimal(2), reuse=True)
        moves_14 = state.receive(back=9, cost=Decimal('1'), expiry_days=7, item=0, loc=0, quantity=Decimal(6), reuse=True)
        moves_15 = state.receive(back=12, cost=Decimal('1.25'), expiry_days=0, item=1, loc=1, quantity=Decimal(52), reuse=True)
        moves_16 = state.transfer(item=0, quantity=Decimal(23), to_kitchen=False)
        moves_17 = state.transfer(item=0, quantity=Decimal(60), to_kitchen=True)
        state.transfer(item=0, quantity=Decimal(40), to_kitchen=True)
    finally:
        for m in StockMove.objects.order_by("id"):
            print(m.id, m.location_id, m.item_id, m.lot_id, m.kind, m.quantity, m.unit_cost, m.value, m.flagged, m.revalues_id, m.happened_at.strftime("%m-%d %H:%M"))
        for b in Balance.objects.all():
            print("B", b.location_id, b.item_id, b.lot_key, b.quantity, b.value)
        state.teardown()
