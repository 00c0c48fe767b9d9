"""What the demo loader has built so far, handed from step to step."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from boh.demo.scope import Scope

if TYPE_CHECKING:
    from boh.catalog.models import Category, Item, Pack, StorageArea
    from boh.org.access import Actor
    from boh.org.models import ApiKey, Location, Organization, Region, User

logger = logging.getLogger(__name__)

# Sales history the command loads unless told otherwise (days before today): a year, so
# forecasts see every season and holiday once.
DEFAULT_DAYS = 365
DEFAULT_SEED = 2026


@dataclass
class DemoChain:
    """What the steps built so far; later steps read it, the command reports it."""

    organization: Organization
    actor: Actor
    password: str
    days: int = DEFAULT_DAYS
    seed: int = DEFAULT_SEED
    today: dt.date = field(default_factory=dt.date.today)
    scope: Scope = field(default_factory=Scope)
    regions: dict[str, Region] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    api_key: ApiKey | None = None
    api_key_raw: str = ""
    categories: dict[str, Category] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    packs: dict[tuple[str, str], Pack] = field(default_factory=dict)
    areas: dict[tuple[str, str], StorageArea] = field(default_factory=dict)
    # Cost of one base unit of each item code at the catalog data's price; opening stock
    # takes the preferred supplier's agreed price where there is one.
    unit_costs: dict[str, Any] = field(default_factory=dict)
    menu_items: dict[str, Any] = field(default_factory=dict)
    suppliers: dict[str, Any] = field(default_factory=dict)
    # What each step made, by what it is ("items": 155), for the command's summary.
    made: dict[str, int] = field(default_factory=dict)
    # Steps left out, with the reason, for the command to print.
    skipped: list[str] = field(default_factory=list)
    # (step name, seconds, seconds of CPU) in the order the steps ran.
    timings: list[tuple[str, float, float]] = field(default_factory=list)
    created: int = 0
    existed: bool = False
    note: Callable[[str], None] = field(default=lambda text: None, repr=False)
    # Hears (days done, days in all) after each day of the sales history.
    on_day: Callable[[int, int], None] = field(default=lambda done, total: None, repr=False)
    # The job loading the sales history in the background, when the load handed it over.
    history_job: Any = None

    def skip(self, step: str, reason: object) -> None:
        """Leave a step out because what it needs is not there, saying why."""
        message = _("%(step)s skipped: %(reason)s") % {"step": step, "reason": reason}
        self.skipped.append(message)
        logger.warning("demo step %s skipped: %s", step, reason)

    def count(self, what: str, n: int = 1) -> None:
        """Record n new rows of one kind."""
        self.made[what] = self.made.get(what, 0) + n
        self.created += n

    @property
    def stores(self) -> list[Location]:
        """The stores this load covers, in code order."""
        from boh.org.models import Location

        return [x for x in self.stocked_locations if x.kind == Location.Kind.STORE]

    @property
    def stocked_locations(self) -> list[Location]:
        """Locations this load stocks (every one but the stores left out), in code order."""
        from boh.org.models import Location

        return sorted(
            (
                x
                for x in self.locations.values()
                if x.kind != Location.Kind.STORE or self.scope.has_store(x.code)
            ),
            key=lambda x: x.code,
        )

    @property
    def opening_date(self) -> dt.date:
        """The day opening stock is counted: the day before the sales history starts."""
        return self.today - dt.timedelta(days=self.days + 1)


Step = Callable[[DemoChain], None]
