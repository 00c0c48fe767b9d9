"""`boh import_sales FILE --format takeaway|generic|square --location CODE --source NAME`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org.access import system_actor
from boh.org.models import Location, Organization
from boh.sales.adapters import FORMATS
from boh.sales.services.imports import import_sales


class Command(BaseCommand):
    help = (
        "Import POS tickets from a file (formats: "
        + ", ".join(sorted(FORMATS))
        + "; see docs/imports.md). Tickets already imported come back unchanged, so a file "
        "can be imported again; refused rows are listed with their row number."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the POS export (CSV, XLSX or Square JSON)")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--location", required=True, help="code of the location that sold")
        parser.add_argument("--source", required=True, help="name of the POS, e.g. takeaway")
        parser.add_argument(
            "--org", help="code of the organization (needed when several have the location)"
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = self._organization(options["org"], options["location"])
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}
            ) from None

        bar = tqdm(total=0, desc=_("Importing"), unit=_("ticket"), disable=options["no_progress"])

        def started(total: int) -> None:
            bar.total = total
            bar.refresh()

        try:
            report = import_sales(
                system_actor(organization),
                content,
                file_format=options["format"],
                location_code=options["location"],
                source=options["source"],
                progress=bar.update,
                started=started,
            )
        except BohError as exc:
            raise command_error(exc, {"format", "location", "source"}) from None
        finally:
            bar.close()

        for error in report.errors:
            self.stderr.write(
                _("row %(row)d, %(field)s: %(message)s [%(code)s]")
                % {
                    "row": error.row,
                    "field": error.field,
                    "message": error.message,
                    "code": error.code,
                }
            )
        self.stdout.write(
            _(
                "%(tickets)d tickets, %(lines)d lines, quantity %(quantity)s, revenue %(revenue)s: "
                "%(created)d created, %(amended)d amended, %(unchanged)d unchanged, "
                "%(rejected)d refused; %(waiting)d lines await mapping."
            )
            % {
                "tickets": report.tickets,
                "lines": report.lines,
                "quantity": report.quantity,
                "revenue": report.revenue,
                "created": report.outcomes["created"],
                "amended": report.outcomes["amended"],
                "unchanged": report.outcomes["unchanged"],
                "rejected": report.outcomes["rejected"],
                "waiting": report.waiting_lines,
            }
        )
        if report.errors:
            raise CommandError(_("%(n)d rows were not imported.") % {"n": len(report.errors)})

    def _organization(self, org_code: str | None, location_code: str) -> Organization:
        if org_code:
            org = Organization.objects.filter(code__iexact=org_code, is_active=True).first()
            if org is None:
                raise CommandError(
                    _("--org: no organization with code %(code)s.") % {"code": org_code}
                )
            return org
        orgs = list(
            Organization.objects.filter(
                is_active=True,
                pk__in=Location.objects.filter(code__iexact=location_code).values(
                    "organization_id"
                ),
            )
        )
        if len(orgs) != 1:
            raise CommandError(
                _("--location: %(n)d organizations have a location %(code)s; name one with --org.")
                % {"n": len(orgs), "code": location_code}
            )
        return orgs[0]
