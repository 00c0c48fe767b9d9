"""`boh import_weather FILE [--org CODE]`: daily weather per location or region from a CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org.access import system_actor
from boh.planning.management.commands.forecast import organization_option
from boh.planning.services.calendar import WEATHER_COLUMNS, import_weather


class Command(BaseCommand):
    help = (
        "Import daily weather from a CSV file with a header row (columns: "
        + ", ".join(WEATHER_COLUMNS)
        + "); each row names a location code or a region code. Every row is checked first; "
        "if any is wrong, nothing is imported. A day already imported is replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (a spreadsheet's BOM is fine)")
        parser.add_argument("--org", help="code of the organization (needed if there are several)")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_option(options["org"])
        path = Path(options["file"])
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
            ) from None

        bar = tqdm(
            total=len(rows), desc=_("Checking"), unit=_("row"), disable=options["no_progress"]
        )
        try:
            report = import_weather(system_actor(org), rows, progress=bar.update)
        except BohError as exc:
            raise command_error(exc) from None
        finally:
            bar.close()
        if not report.ok:
            for error in report.errors:
                self.stderr.write(
                    _("%(field)s: %(message)s [%(code)s]")
                    % {"field": error.field, "message": error.message, "code": error.code}
                )
            raise CommandError(
                _("%(count)d errors in %(rows)d rows; nothing was imported.")
                % {"count": len(report.errors), "rows": report.rows}
            )
        self.stdout.write(
            ngettext(
                "Imported %(count)d day of weather into %(org)s.",
                "Imported %(count)d days of weather into %(org)s.",
                report.written,
            )
            % {"count": report.written, "org": org.code}
        )
