"""`boh createorg`: open a new organization (tenant), optionally with its first owner."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org import services
from boh.org.models import User

OPTIONS = {"code", "name", "name_en", "currency", "time_zone", "country", "owner"}


class Command(BaseCommand):
    help = "Create an organization (a restaurant group) and optionally make a user its owner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="short code, e.g. shuxiang")
        parser.add_argument("--name", required=True, help="name, e.g. 蜀香火锅集团")
        parser.add_argument("--name-en", default="", help="English name")
        parser.add_argument("--currency", default="CNY", help="ISO 4217 code (default CNY)")
        parser.add_argument(
            "--time-zone", default="Asia/Shanghai", help="IANA time zone (default Asia/Shanghai)"
        )
        parser.add_argument("--country", default="CN", help="ISO 3166 code (default CN)")
        parser.add_argument("--owner", default="", help="username of an existing user to own it")

    def handle(self, *args: Any, **options: Any) -> None:
        owner = None
        if options["owner"]:
            owner = User.objects.filter(username__iexact=options["owner"]).first()
            if owner is None:
                raise CommandError(
                    _("--owner: no user named %(name)s; create one with `boh createuser`.")
                    % {"name": options["owner"]}
                )

        try:
            with transaction.atomic():
                org = services.create_organization(
                    code=options["code"],
                    name=options["name"],
                    name_en=options["name_en"],
                    currency=options["currency"],
                    time_zone=options["time_zone"],
                    country=options["country"],
                )
                if owner is not None:
                    services.add_owner(org, owner)
        except BohError as exc:
            raise command_error(exc, OPTIONS) from None

        self.stdout.write(
            _("Created organization %(code)s (%(name)s).") % {"code": org.code, "name": org.name}
        )
        if owner is not None:
            self.stdout.write(_("%(user)s is its owner.") % {"user": owner.username})
