"""`boh forecast [--org CODE] [--location CODE] [--horizon 14]`: the planning chain now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org.access import system_actor
from boh.org.models import Location, Organization
from boh.planning.forecast.pipeline import Settings
from boh.planning.selectors import warning_text
from boh.planning.services.nightly import plan_organization


def organization_option(code: str | None) -> Organization:
    """The organization named by --org, or the only active one when there is just one."""
    active = Organization.objects.filter(is_active=True)
    if code:
        org = active.filter(code__iexact=code).first()
        if org is None:
            raise CommandError(_("--org: no organization with code %(code)s.") % {"code": code})
        return org
    if active.count() != 1:
        raise CommandError(_("--org: give the organization's code."))
    only = active.first()
    assert only is not None
    return only


class Command(BaseCommand):
    help = (
        "Forecast menu items, covers and net sales from the daily sales facts, explode them "
        "into ingredient demand and prep lists, and suggest orders, as the nightly job does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="code of the organization (needed if there are several)")
        parser.add_argument("--location", help="code of one store to forecast")
        parser.add_argument("--horizon", type=int, default=14, help="days to forecast (1-60)")
        parser.add_argument("--threads", type=int, default=1, help="LightGBM threads")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_option(options["org"])
        location_id = None
        if options["location"]:
            location = Location.objects.filter(
                organization=org, code__iexact=options["location"]
            ).first()
            if location is None:
                raise CommandError(
                    _("--location: no location with code %(code)s.") % {"code": options["location"]}
                )
            location_id = location.pk
        settings = Settings(threads=max(1, options["threads"]))
        steps = 4 + 2 * settings.backtest_origins + 2 + 3
        bar = tqdm(total=steps, desc=_("Planning"), unit=_("step"), disable=options["no_progress"])

        def advance(stage: str) -> None:
            bar.set_postfix_str(stage)
            bar.update(1)

        try:
            result = plan_organization(
                system_actor(org),
                location_id=location_id,
                horizon=options["horizon"],
                settings=settings,
                progress=advance,
            )
        except BohError as exc:
            raise command_error(exc, {"horizon"}) from None
        finally:
            bar.close()

        run = result.run
        for warning in run.warnings:
            self.stderr.write(_("warning: %(text)s") % {"text": warning_text(warning)})
        self.stdout.write(
            _(
                "Forecast run %(run)s: %(series)d series from %(first)s for %(days)d days "
                "(%(model)s); %(suggestions)d suggested orders, %(transfers)d transfers, "
                "%(auto)d automatic orders."
            )
            % {
                "run": run.pk,
                "series": run.series_count,
                "first": run.first_date.isoformat(),
                "days": run.horizon,
                "model": run.model or "-",
                "suggestions": len(result.suggestions),
                "transfers": len(result.transfers),
                "auto": len(result.automatic_orders),
            }
        )
