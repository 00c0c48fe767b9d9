"""`boh simulate`: play the demo chain day by day under par levels and under BOH's ordering."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.demo.management.commands.demo import table
from boh.demo.models import SimulationRun
from boh.demo.simulate import report
from boh.demo.simulate.policies import POLICIES
from boh.demo.simulate.services import play_simulation, record_simulation
from boh.org.access import system_actor
from boh.planning.management.commands.forecast import organization_option


class Command(BaseCommand):
    help = (
        "Simulate the demo chain day by day from a seed: the same guests and deliveries under "
        "par levels set by hand and under BOH's forecast-driven ordering; prints the figures "
        "side by side and writes them as CSV and JSON (see docs/simulator.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="code of the organization (needed if there are several)")
        parser.add_argument("--days", type=int, default=60, help="days to simulate (1-365)")
        parser.add_argument(
            "--stores", type=int, help="stores to simulate (default: the chain's; more are copies)"
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of guests and deliveries")
        parser.add_argument("--start", help="first day, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--policies",
            default=",".join(POLICIES),
            help="comma-separated: par, system (default both)",
        )
        parser.add_argument("--out", default=".", help="folder for the CSV and JSON files")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_option(options["org"])
        policies = [p.strip() for p in options["policies"].split(",") if p.strip()]
        boh_logger = logging.getLogger("boh")
        level = boh_logger.level
        if options["verbosity"] < 2:
            boh_logger.setLevel(logging.WARNING)
        try:
            run = record_simulation(
                system_actor(org),
                days=options["days"],
                stores=options["stores"],
                seed=options["seed"],
                start=options["start"],
                policies=policies,
            )
            result = self._play(run, options["no_progress"])
        except BohError as exc:
            raise command_error(exc, {"days", "stores", "seed", "start", "policies"}) from None
        finally:
            boh_logger.setLevel(level)

        for line in table(report.rows(result)):
            self.stdout.write(line)
        csv_path, json_path = report.write_files(
            result, Path(options["out"]), f"simulation-{run.pk}"
        )
        self.stdout.write(
            _("Simulation %(id)s: %(csv)s, %(json)s")
            % {"id": run.pk, "csv": csv_path, "json": json_path}
        )
        if result.get("ratios"):
            self.stdout.write(report.ratio_line(result))

    def _play(self, run: SimulationRun, quiet: bool) -> dict[str, Any]:
        bar = tqdm(total=0, desc=_("Simulating"), unit=_("day"), disable=quiet)

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            return play_simulation(run, progress=advance)
        finally:
            bar.close()
