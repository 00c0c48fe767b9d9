"""`boh import_items FILE --org CODE`: create items and packs from a CSV file, all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from boh.catalog.services import import_items
from boh.catalog.services.imports import COLUMNS
from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org.access import system_actor
from boh.org.models import Organization


class Command(BaseCommand):
    help = (
        "Create items from a CSV file with a header row (columns: "
        + ", ".join(COLUMNS)
        + "). Every row is checked first; if any row is wrong, nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (a spreadsheet's BOM is fine)")
        parser.add_argument("--org", required=True, help="code of the organization to import into")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(code__iexact=options["org"], is_active=True).first()
        if org is None:
            raise CommandError(
                _("--org: no organization with code %(code)s.") % {"code": options["org"]}
            )
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
            ) from None

        quiet = options["no_progress"]
        bars = {
            "check": tqdm(total=len(rows), desc=_("Checking"), unit=_("row"), disable=quiet),
            "write": tqdm(total=len(rows), desc=_("Writing"), unit=_("item"), disable=quiet),
        }
        try:
            report = import_items(
                system_actor(org), rows, progress=lambda phase, n: bars[phase].update(n)
            )
        except BohError as exc:
            raise command_error(exc) from None
        finally:
            for bar in bars.values():
                bar.close()

        if not report.ok:
            for error in report.errors:
                self.stderr.write(
                    _("line %(line)d, %(field)s: %(message)s [%(code)s]")
                    % {
                        "line": error.line,
                        "field": error.field,
                        "message": error.message,
                        "code": error.code,
                    }
                )
            raise CommandError(
                _("%(count)d errors in %(rows)d rows; nothing was imported.")
                % {"count": len(report.errors), "rows": report.rows}
            )
        self.stdout.write(
            _("Imported %(count)d items into %(org)s.") % {"count": report.created, "org": org.code}
        )
