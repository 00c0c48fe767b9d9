"""`boh createuser`: create a sign-in account, optionally with a role in an organization."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from boh.core.errors import BohError
from boh.core.management.commands._cli import command_error
from boh.org import services
from boh.org.access import system_actor
from boh.org.models import Location, Organization, Region, User
from boh.org.roles import Role

PASSWORD_ENV = "BOH_PASSWORD"  # noqa: S105 (the variable name, not a password)
OPTIONS = {"username", "password", "email", "display_name", "language", "role"}


class Command(BaseCommand):
    help = (
        "Create a user. The password comes from --password, the BOH_PASSWORD variable, "
        "or a prompt. With --org and --role the user gets that role there; for an existing "
        "user, only the role is granted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", default="", help=f"else ${PASSWORD_ENV}, else a prompt")
        parser.add_argument("--email", default="")
        parser.add_argument("--display-name", default="")
        parser.add_argument("--language", default="", help="zh-hans or en")
        parser.add_argument("--org", default="", help="organization code")
        parser.add_argument("--role", default="", help=", ".join(Role.values))
        parser.add_argument("--region", default="", help="region code, to limit the role to it")
        parser.add_argument("--location", default="", help="location code, to limit the role")

    def handle(self, *args: Any, **options: Any) -> None:
        org, scope = self._scope(options)
        existing = User.objects.filter(username__iexact=options["username"]).first()
        if existing is not None and org is not None:
            self._grant(existing, org, scope, options)
            return
        password = self._password(options)

        try:
            if org is None:
                user = services.create_account(
                    username=options["username"],
                    password=password,
                    email=options["email"],
                    display_name=options["display_name"],
                    language=options["language"],
                )
            else:
                user = services.create_user(
                    system_actor(org),
                    username=options["username"],
                    password=password,
                    email=options["email"],
                    display_name=options["display_name"],
                    language=options["language"],
                    role=options["role"],
                    **scope,
                )
        except BohError as exc:
            raise command_error(exc, OPTIONS) from None

        if org is None:
            self.stdout.write(_("Created user %(user)s.") % {"user": user.username})
        else:
            self.stdout.write(
                _("Created user %(user)s with role %(role)s in %(org)s.")
                % {"user": user.username, "role": options["role"], "org": org.code}
            )

    def _grant(
        self, user: User, org: Organization, scope: dict[str, int], options: dict[str, Any]
    ) -> None:
        if options["password"]:
            raise CommandError(
                _("--password: %(user)s already exists; this command does not change passwords.")
                % {"user": user.username}
            )
        try:
            services.grant_role(system_actor(org), user, role=options["role"], **scope)
        except BohError as exc:
            raise command_error(exc, OPTIONS) from None
        self.stdout.write(
            _("%(user)s already exists; granted role %(role)s in %(org)s.")
            % {"user": user.username, "role": options["role"], "org": org.code}
        )

    def _scope(self, options: dict[str, Any]) -> tuple[Organization | None, dict[str, int]]:
        if not options["org"]:
            if options["role"] or options["region"] or options["location"]:
                raise CommandError(_("--role, --region and --location need --org."))
            return None, {}
        org = Organization.objects.filter(code__iexact=options["org"]).first()
        if org is None:
            raise CommandError(
                _("--org: no organization with code %(code)s.") % {"code": options["org"]}
            )
        if not options["role"]:
            raise CommandError(
                _("--role: give the role the user has in %(org)s.") % {"org": org.code}
            )
        scope: dict[str, int] = {}
        if options["region"]:
            region = Region.objects.filter(organization=org, code__iexact=options["region"]).first()
            if region is None:
                raise CommandError(
                    _("--region: no region with code %(code)s.") % {"code": options["region"]}
                )
            scope["region_id"] = region.pk
        if options["location"]:
            location = Location.objects.filter(
                organization=org, code__iexact=options["location"]
            ).first()
            if location is None:
                raise CommandError(
                    _("--location: no location with code %(code)s.") % {"code": options["location"]}
                )
            scope["location_id"] = location.pk
        return org, scope

    def _password(self, options: dict[str, Any]) -> str:
        password: str = options["password"] or os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                _("--password: give one, set %(env)s, or run in a terminal to be asked.")
                % {"env": PASSWORD_ENV}
            )
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("--password: the two passwords differ."))
        return password
