"""`boh inventory_verify`: recompute every balance from the moves and report differences."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from boh.inventory.ledger.verify import verify_balances
from boh.org.models import Organization


class Command(BaseCommand):
    help = "Recompute stock balances from the moves and report any difference (exit 1 if any)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="code of one organization (default: all)")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        organization_id = None
        if options["organization"]:
            org = Organization.objects.filter(code=options["organization"]).first()
            if org is None:
                raise CommandError(f"no organization with code {options['organization']}")
            organization_id = org.pk

        def bar(ids: list[int]) -> Any:
            return tqdm(
                ids,
                desc="locations",
                unit="loc",
                disable=options["no_progress"],
            )

        differences = verify_balances(organization_id, progress=bar)
        for d in differences:
            scope = "item" if d.whole_item else f"lot {d.lot_id or '-'}"
            self.stdout.write(
                f"location {d.location_id} item {d.item_id} {scope}: stored "
                f"{d.stored_quantity} / {d.stored_value}, moves say "
                f"{d.moves_quantity} / {d.moves_value}"
            )
        if differences:
            raise CommandError(f"{len(differences)} balances differ from their moves")
        self.stdout.write(self.style.SUCCESS("all balances equal the sums of their moves"))
