"""Template context shared by every page: the actor, organizations and navigation."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from boh.org import selectors
from boh.org.access import Actor, organizations_of
from boh.org.models import Location, Organization
from boh.web.nav import NavSection, navigation
from boh.web.shell import page_location


class Shell:
    """What the page frame shows, computed only when a template asks for it."""

    def __init__(self, request: HttpRequest, actor: Actor) -> None:
        self.request = request
        self.actor = actor

    @cached_property
    def nav(self) -> list[NavSection]:
        return navigation(self.actor, self.request.path)

    @cached_property
    def organizations(self) -> list[Organization]:
        if self.actor.user is None:
            return [self.actor.organization]
        return list(organizations_of(self.actor.user).order_by("name"))

    @cached_property
    def locations(self) -> QuerySet[Location]:
        return (
            selectors.locations(self.actor, active=True)
            .select_related(None)
            .only("id", "code", "name")
        )

    @cached_property
    def location(self) -> Location | None:
        return page_location(self.request)


def shell(request: HttpRequest) -> dict[str, Any]:
    actor: Actor | None = getattr(request, "actor", None)
    return {
        "actor": actor,
        "shell": Shell(request, actor) if actor is not None else None,
        "currency": actor.organization.currency if actor else settings.DEFAULT_CURRENCY,
    }
