"""Stock about to expire at one store is suggested to a nearby store that runs short."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from boh.planning.models import Suggestion, TransferSuggestion
from tests.conftest import World
from tests.planning.worlds import planned


def test_given_a_store_short_and_a_neighbour_with_expiring_stock_then_a_transfer(
    world: World,
) -> None:
    built = planned(world)

    transfer = TransferSuggestion.objects.get(run=built.run)
    second_line = Suggestion.objects.get(location=built.second_store).lines.get()
    today = built.run.first_date
    assert (transfer.from_location, transfer.to_location, transfer.item) == (
        built.second_store,
        world.store_a,
        built.item,
    )
    assert transfer.expiry_date == today + dt.timedelta(days=2)
    # the new store borrows store A's 500 g a day: 3 days use 1500 of its 3000 g
    assert second_line.explanation["expiring_unused"] == "1500.000"
    assert transfer.quantity == Decimal("1500.000")
