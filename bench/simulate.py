"""What BOH's forecast-driven ordering saves against par levels set by hand, on the demo chain.

    .venv/bin/python bench/simulate.py [--days 60] [--stores 12] [--seed 1] [--out DIR]

Builds a fresh SQLite database under a temporary folder, loads the demo chain into it
(catalog, menu, recipes, suppliers; no sales history), then runs `boh simulate`'s code:
both policies over the same days, guests and deliveries, the first day being the Monday
after today. Prints the chain's figures side by side, the time of each step, and last the
ratios of the system's waste (% of purchases), lost sales and days on hand to par's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup_django(folder: str) -> None:
    os.environ["BOH_DEBUG"] = "1"
    os.environ["BOH_VAR_DIR"] = folder
    os.environ["BOH_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["BOH_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--stores", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="", help="folder for the CSV and JSON files")
    parser.add_argument(
        "--expected-use",
        action="store_true",
        help="system policy with expected use as ingredient demand (docs/simulator.md)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="boh-sim-") as folder:
        setup_django(folder)
        logging.getLogger("boh").setLevel(logging.WARNING)
        from django.utils import translation

        from boh.demo.management.commands.demo import table
        from boh.demo.services import load_demo_chain
        from boh.demo.simulate import report
        from boh.demo.simulate.services import play_simulation, record_simulation

        started = time.perf_counter()
        chain = load_demo_chain(days=0)
        loaded = time.perf_counter() - started
        start = chain.today + dt.timedelta(days=7 - chain.today.weekday())
        run = record_simulation(
            chain.actor, days=args.days, stores=args.stores, seed=args.seed, start=start
        )
        started, cpu = time.perf_counter(), time.process_time()
        result = play_simulation(run, expected_use=args.expected_use)
        played, cpu = time.perf_counter() - started, time.process_time() - cpu

        translation.activate("en")
        for line in table(report.rows(result)):
            print(line)
        if args.out:
            paths = report.write_files(result, Path(args.out), f"simulation-seed{args.seed}")
            print("written:", ", ".join(str(p) for p in paths))
        print(f"first day {start.isoformat()}; demo chain loaded in {loaded:.0f} s")
        if args.expected_use:
            print("system policy: ingredient demand as expected use (the proposed planning change)")
        print(
            f"simulated in {played:.0f} s ({cpu:.0f} s of CPU): "
            f"guests {result['guest_seconds']} s, "
            + ", ".join(f"{n} {p['seconds']} s" for n, p in result["policies"].items())
        )
        print(report.ratio_line(result))


if __name__ == "__main__":
    main()
