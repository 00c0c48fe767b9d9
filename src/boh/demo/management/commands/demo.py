"""`boh demo`: load the demo hot-pot group and print who can sign in."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.demo import services
from boh.demo.chain import DEFAULT_DAYS, DEFAULT_SEED, DemoChain
from boh.demo.scope import SIZES

# What the loader counts, as the summary names it.
MADE_LABELS = {
    "categories": gettext_lazy("item categories"),
    "items": gettext_lazy("items"),
    "packs": gettext_lazy("packs"),
    "barcodes": gettext_lazy("barcodes"),
    "storage areas": gettext_lazy("storage areas"),
    "stock levels": gettext_lazy("par levels"),
    "standard costs": gettext_lazy("standard costs"),
    "recipes": gettext_lazy("recipes"),
    "menu categories": gettext_lazy("menu categories"),
    "modifier groups": gettext_lazy("modifier groups"),
    "modifier options": gettext_lazy("modifier options"),
    "POS codes": gettext_lazy("POS codes"),
    "menu items": gettext_lazy("menu items"),
    "menu prices": gettext_lazy("menu prices"),
    "suppliers": gettext_lazy("suppliers"),
    "supplier contacts": gettext_lazy("supplier contacts"),
    "delivery terms": gettext_lazy("delivery terms"),
    "supplier items": gettext_lazy("supplier items"),
    "supplier prices": gettext_lazy("supplier prices"),
    "preferred suppliers": gettext_lazy("preferred suppliers"),
    "opening stock lines": gettext_lazy("opening stock lines"),
    "waste entries": gettext_lazy("waste entries"),
    "production moves": gettext_lazy("production moves"),
    "transfer moves": gettext_lazy("transfer moves"),
    "receipts": gettext_lazy("receipts"),
    "stocktakes": gettext_lazy("stocktakes"),
    "tickets": gettext_lazy("tickets"),
    "tickets refused": gettext_lazy("tickets refused"),
}


def display_width(text: str) -> int:
    """Terminal columns text takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[list[str]]) -> list[str]:
    """Rows as lines with aligned columns, two spaces apart."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo hot-pot group: stores, people for every role, an API key, the catalog, "
        "menu, suppliers, opening stock and a year of sales with the stock history they make."
    )
    # `make demo` migrates first, which runs the checks; loading need not run them again.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the database first (refused if it holds anything but the demo)",
        )
        parser.add_argument(
            "--password",
            default=services.DEMO_PASSWORD,
            help="password for every demo person (default %(default)s)",
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="where BOH will be served"
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help="days of sales history, ending yesterday (default %(default)s; 0 for none)",
        )
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="full",
            help=(
                "full chain; small: a short menu sold in two stores; bare: people and "
                "locations only (default %(default)s)"
            ),
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help=(
                "load the sales history in a background job, a day at a time, which the "
                "worker (boh worker, or boh serve --with-worker) runs; everything else now"
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="seed of the generated sales, for a reproducible history (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Each service logs what it creates; thousands of such lines would bury the bar.
        boh_logger = logging.getLogger("boh")
        level = boh_logger.level
        if options["verbosity"] < 2:
            boh_logger.setLevel(logging.WARNING)
        try:
            chain = self._load(options)
        finally:
            boh_logger.setLevel(level)
        self._report(chain, options)
        if options["verbosity"] >= 2:
            for name, seconds, cpu in chain.timings:
                self.stdout.write(f"{name}: {seconds:.1f} s ({cpu:.1f} s CPU)")

    def _load(self, options: dict[str, Any]) -> DemoChain:
        try:
            if options["reset"]:
                services.reset_demo_database()
            with (
                logging_redirect_tqdm(),
                tqdm(
                    total=services.step_count(options["size"]),
                    desc=_("Loading the demo"),
                    unit=_("step"),
                    # The raw stream, so the bar redraws in place and log lines print above it.
                    file=self.stderr._out,
                    leave=False,
                ) as bar,
            ):

                def advance(step: str, done: int) -> None:
                    bar.set_postfix_str(step)
                    bar.update(done - bar.n)

                with services.unlogged_queries():
                    chain = services.load_demo_chain(
                        password=options["password"],
                        days=options["days"],
                        seed=options["seed"],
                        size=options["size"],
                        progress=advance,
                        background=options["background"],
                    )
        except BohError as exc:
            raise command_error(exc, {"password", "days", "size"}) from None
        return chain

    def _report(self, chain: DemoChain, options: dict[str, Any]) -> None:
        org = chain.organization
        self.stdout.write(
            _(
                "%(name)s (%(name_en)s, code %(code)s): %(regions)d regions, "
                "%(locations)d locations, %(people)d people; %(created)d records created now."
            )
            % {
                "name": org.name,
                "name_en": org.name_en,
                "code": org.code,
                "regions": len(chain.regions),
                "locations": len(chain.locations),
                "people": len(chain.users),
                "created": chain.created,
            }
        )
        if chain.made:
            # In the order of MADE_LABELS, whichever order the steps made them in.
            order = {what: n for n, what in enumerate(MADE_LABELS)}
            made = [
                f"{n} {MADE_LABELS.get(what, what)}"
                for what, n in sorted(
                    chain.made.items(), key=lambda pair: order.get(pair[0], len(order))
                )
                if what not in {"regions", "locations", "people", "API keys"}
            ]
            if made:
                self.stdout.write(_("Loaded now: %(list)s.") % {"list": ", ".join(made)})
        for line in chain.skipped:
            self.stdout.write(line)
        job = chain.history_job
        if job is not None:
            self.stdout.write(
                _(
                    "Sales history: %(days)d days load in the background (job %(id)d), oldest "
                    "first, a day at a time, once a worker runs (boh serve --with-worker); "
                    "each day shows in the pages as soon as it is loaded."
                )
                % {"days": job.total or 0, "id": job.pk}
            )
        if chain.existed and options["password"] != services.DEMO_PASSWORD:
            self.stdout.write(
                _("The demo was loaded before: its people keep the password they were given then.")
            )
        self.stdout.write("")
        rows = [[_("username"), _("password"), _("role"), _("scope")]]
        rows += [[x.username, x.password, x.role, x.scope] for x in services.demo_logins(chain)]
        for line in table(rows):
            self.stdout.write(line)
        self.stdout.write("")
        if chain.api_key_raw:
            self.stdout.write(
                _("API key for the POS (integration role), shown only this once: %(key)s")
                % {"key": chain.api_key_raw}
            )
        elif chain.api_key is not None:
            self.stdout.write(
                _(
                    "API key %(prefix)s… (integration role) was made earlier and shown then; "
                    "`boh demo --reset` makes a new one."
                )
                % {"prefix": f"boh_{chain.api_key.prefix}_"}
            )
        self.stdout.write(_("Open %(url)s and sign in as any of them.") % {"url": options["url"]})
