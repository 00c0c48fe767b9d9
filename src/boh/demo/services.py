"""The demo chain: a hot-pot group with stores, people, catalog, menu, suppliers, stock, sales.

Everything is made through the other modules' services, step by step. Each step
looks for what it would make (by code or username) and makes only what is missing,
so loading twice changes nothing and an interrupted load can simply be run again.
A module that brings demo data of its own (items, recipes, stock) adds a step to
STEPS, reading and extending the DemoChain the earlier steps filled in.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boh.core.errors import conflict, validation_error
from boh.core.jobs import start_job
from boh.demo import errors
from boh.demo.chain import DEFAULT_DAYS, DEFAULT_SEED, DemoChain, Step
from boh.demo.loaders import catalog as catalog_steps
from boh.demo.loaders import history as history_steps
from boh.demo.loaders import levels as level_steps
from boh.demo.loaders import menu as menu_steps
from boh.demo.loaders import stock as stock_steps
from boh.demo.loaders import suppliers as supplier_steps
from boh.demo.scope import SIZES, scope_of
from boh.org import services as org_services
from boh.org.access import system_actor
from boh.org.models import ApiKey, Location, Membership, Organization, Region, User
from boh.org.roles import Role

logger = logging.getLogger(__name__)

DEMO_ORG_CODE = "shuxiang"
DEMO_PASSWORD = "hotpot-demo-2026"  # noqa: S105 (printed for everyone who runs the demo)
API_KEY_NAME = "POS 收银系统对接 / POS integration"


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    name_en: str
    parent: str | None = None


@dataclass(frozen=True)
class LocationSpec:
    code: str
    name: str
    name_en: str
    region: str
    address: str
    kind: str = Location.Kind.STORE


@dataclass(frozen=True)
class PersonSpec:
    username: str
    display_name: str
    role: str
    region: str | None = None
    location: str | None = None


REGIONS = (
    RegionSpec("EC", "华东", "East China"),
    RegionSpec("SH", "上海", "Shanghai", parent="EC"),
    RegionSpec("HZ", "杭州", "Hangzhou", parent="EC"),
    RegionSpec("SC", "华南", "South China"),
    RegionSpec("GZ", "广州", "Guangzhou", parent="SC"),
)

LOCATIONS = (
    LocationSpec(
        "SH01", "上海人民广场店", "Shanghai People's Square", "SH", "上海市黄浦区西藏中路 268 号"
    ),
    LocationSpec("SH02", "上海徐家汇店", "Shanghai Xujiahui", "SH", "上海市徐汇区虹桥路 1 号"),
    LocationSpec("SH03", "上海五角场店", "Shanghai Wujiaochang", "SH", "上海市杨浦区淞沪路 8 号"),
    LocationSpec("HZ01", "杭州西湖店", "Hangzhou West Lake", "HZ", "杭州市上城区延安路 98 号"),
    LocationSpec("GZ01", "广州天河店", "Guangzhou Tianhe", "GZ", "广州市天河区天河路 208 号"),
    LocationSpec(
        "GZ02", "广州北京路店", "Guangzhou Beijing Road", "GZ", "广州市越秀区北京路 68 号"
    ),
    LocationSpec(
        "SH04", "上海静安寺店", "Shanghai Jing'an Temple", "SH", "上海市静安区南京西路 1618 号"
    ),
    LocationSpec("SH05", "上海陆家嘴店", "Shanghai Lujiazui", "SH", "上海市浦东新区世纪大道 8 号"),
    LocationSpec("HZ02", "杭州武林店", "Hangzhou Wulin", "HZ", "杭州市拱墅区武林广场 21 号"),
    LocationSpec("HZ03", "杭州滨江店", "Hangzhou Binjiang", "HZ", "杭州市滨江区江南大道 588 号"),
    LocationSpec(
        "GZ03", "广州珠江新城店", "Guangzhou Zhujiang New Town", "GZ", "广州市天河区花城大道 85 号"
    ),
    LocationSpec("GZ04", "广州番禺店", "Guangzhou Panyu", "GZ", "广州市番禺区市桥街 33 号"),
    LocationSpec(
        "CK01",
        "上海中央厨房",
        "Shanghai Central Kitchen",
        "SH",
        "上海市嘉定区叶城路 1288 号",
        kind=Location.Kind.CENTRAL_KITCHEN,
    ),
    LocationSpec(
        "WH01",
        "华东物流仓",
        "East China Warehouse",
        "SH",
        "上海市青浦区华新镇新协路 58 号",
        kind=Location.Kind.WAREHOUSE,
    ),
)

PEOPLE = (
    PersonSpec("owner", "陈立群", Role.OWNER),
    PersonSpec("finance", "刘芳", Role.FINANCE),
    PersonSpec("purchasing", "王建国", Role.PURCHASING),
    PersonSpec("operations", "赵敏", Role.OPERATIONS),
    PersonSpec("supervisor.east", "孙浩", Role.AREA_SUPERVISOR, region="EC"),
    PersonSpec("manager.sh01", "李娜", Role.STORE_MANAGER, location="SH01"),
    PersonSpec("staff.sh01", "周杰", Role.STORE_STAFF, location="SH01"),
    PersonSpec("auditor", "吴静", Role.AUDITOR),
)


@dataclass(frozen=True)
class DemoLogin:
    """One person of the demo, as the command prints them."""

    username: str
    password: str
    role: str
    scope: str


def demo_logins(chain: DemoChain) -> list[DemoLogin]:
    """The people of the demo with their role and where it applies."""
    result = []
    for spec in PEOPLE:
        if spec.location:
            location = chain.locations[spec.location]
            scope = f"{location.code} {location.name}"
        elif spec.region:
            scope = chain.regions[spec.region].name
        else:
            scope = _("Whole organization")
        result.append(DemoLogin(spec.username, chain.password, str(Role(spec.role).label), scope))
    return result


def _load_regions(chain: DemoChain) -> None:
    existing = {r.code: r for r in Region.objects.filter(organization=chain.organization)}
    for spec in REGIONS:
        region = existing.get(spec.code)
        if region is None:
            parent = chain.regions[spec.parent] if spec.parent else None
            region = org_services.create_region(
                chain.actor,
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                parent_id=parent.pk if parent else None,
            )
            chain.count("regions")
        chain.regions[spec.code] = region


def _load_locations(chain: DemoChain) -> None:
    existing = {loc.code: loc for loc in Location.objects.filter(organization=chain.organization)}
    for spec in LOCATIONS:
        location = existing.get(spec.code)
        if location is None:
            location = org_services.create_location(
                chain.actor,
                code=spec.code,
                name=spec.name,
                name_en=spec.name_en,
                kind=spec.kind,
                address=spec.address,
                region_id=chain.regions[spec.region].pk,
            )
            chain.count("locations")
        chain.locations[spec.code] = location


def _load_people(chain: DemoChain) -> None:
    for spec in PEOPLE:
        grant = (
            Membership.objects.filter(
                organization=chain.organization, user__username=spec.username, role=spec.role
            )
            .select_related("user")
            .first()
        )
        if grant is not None:
            chain.users[spec.username] = grant.user
            continue
        chain.users[spec.username] = org_services.create_user(
            chain.actor,
            username=spec.username,
            password=chain.password,
            email=f"{spec.username}@{DEMO_ORG_CODE}.example.com",
            display_name=spec.display_name,
            role=spec.role,
            region_id=chain.regions[spec.region].pk if spec.region else None,
            location_id=chain.locations[spec.location].pk if spec.location else None,
        )
        chain.count("people")


def _load_api_key(chain: DemoChain) -> None:
    key = ApiKey.objects.filter(
        organization=chain.organization, name=API_KEY_NAME, revoked_at__isnull=True
    ).first()
    if key is None:
        key, chain.api_key_raw = org_services.create_api_key(
            chain.actor, name=API_KEY_NAME, role=Role.INTEGRATION
        )
        chain.count("API keys")
    chain.api_key = key


STEPS: list[tuple[str | Promise, Step]] = [
    (gettext_lazy("regions"), _load_regions),
    (gettext_lazy("locations"), _load_locations),
    (gettext_lazy("people"), _load_people),
    (gettext_lazy("API key"), _load_api_key),
    (gettext_lazy("item categories"), catalog_steps.load_categories),
    (gettext_lazy("items and packs"), catalog_steps.load_items),
    (gettext_lazy("storage areas"), catalog_steps.load_storage_areas),
    (gettext_lazy("menu and recipes"), menu_steps.load_menu),
    (gettext_lazy("suppliers"), supplier_steps.load_suppliers),
    (gettext_lazy("par levels"), level_steps.load_stock_levels),
    (gettext_lazy("opening stock"), stock_steps.load_opening_stock),
    (gettext_lazy("sales history"), history_steps.load_sales_history),
]


# The first steps make the organization's own records; the rest stock it and run it.
ORG_STEPS = 4
# Kind of the job that loads the sales history in the background.
HISTORY_JOB = "demo.history"


def steps_for(size: str) -> list[tuple[str | Promise, Step]]:
    """The steps a load of this size runs."""
    return STEPS[:ORG_STEPS] if scope_of(size).bare else STEPS


def step_count(size: str = "full") -> int:
    """How many steps load_demo_chain runs: the organization, then each of its steps."""
    return 1 + len(steps_for(size))


Progress = Callable[[str, int], None]


def _detail_reporter(report: Progress, label: str, done: int) -> Callable[[str], None]:
    def note(detail: str) -> None:
        report(f"{label} {detail}", done)

    return note


def load_demo_chain(
    *,
    password: str = DEMO_PASSWORD,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    size: str = "full",
    today: dt.date | None = None,
    progress: Progress | None = None,
    background: bool = False,
    on_day: Callable[[int, int], None] | None = None,
) -> DemoChain:
    """Load the demo hot-pot group through the services; loading again changes nothing.

    days is how many days of sales history end yesterday (0 for none); seed makes the
    generated tickets reproducible; size "small" loads a short menu sold in two stores
    and "bare" only the organization, locations, people and API key.
    progress, when given, hears the name of each step as it starts (and again with a
    detail while a long step runs) and the number of steps done so far, then
    ("", step_count()) at the end; on_day hears (days done, days in all) as the sales
    history is loaded. With background, the sales history is left to a job
    (chain.history_job) that loads it the same way; every other step is done at once.
    The sales history commits a day at a time; every other step is one transaction.
    """
    report = progress or (lambda name, done: None)
    if days < 0:
        raise validation_error("invalid_days", _("Give zero or more days."), "days")
    if size not in SIZES:
        raise validation_error("invalid_size", _("Give a size: full, small or bare."), "size")

    report(_("organization"), 0)
    org = Organization.objects.filter(code__iexact=DEMO_ORG_CODE).first()
    existed = org is not None
    if org is None:
        org = org_services.create_organization(
            code=DEMO_ORG_CODE,
            name="蜀香火锅集团",
            name_en="Shuxiang Hot Pot Group",
            currency="CNY",
            time_zone="Asia/Shanghai",
        )
    chain = DemoChain(
        organization=org,
        actor=system_actor(org),
        password=password,
        days=days,
        seed=seed,
        today=today or timezone.localdate(timezone=zoneinfo.ZoneInfo(org.time_zone)),
        scope=scope_of(size),
        created=0 if existed else 1,
        existed=existed,
    )
    if on_day is not None:
        chain.on_day = on_day

    for done, (name, step) in enumerate(steps_for(size), start=1):
        label = str(name)
        report(label, done)
        chain.note = _detail_reporter(report, label, done)
        started, used = time.perf_counter(), time.process_time()
        if step is history_steps.load_sales_history:
            if background:
                _queue_history(chain, size)
            else:
                step(chain)
        else:
            # One transaction a step: the services nest inside it, and a step stops whole.
            with transaction.atomic():
                step(chain)
        chain.timings.append((label, time.perf_counter() - started, time.process_time() - used))

    report("", step_count(size))
    logger.info("demo chain %s loaded: %d records created", org.code, chain.created)
    return chain


def _queue_history(chain: DemoChain, size: str) -> None:
    """Start the job that loads the sales history, unless there is no day left to load.

    A job a stopped worker left running is never finished by it, so a new load always
    starts a job of its own; days another job has loaded meanwhile are skipped.
    """
    from boh.demo.tasks import history_task
    from boh.sales.models import Ticket

    if chain.days == 0 or not chain.menu_items:
        return
    days = history_steps.history_days(chain)
    done = set(
        Ticket.objects.filter(organization=chain.organization, business_date__in=days)
        .values_list("business_date", flat=True)
        .distinct()
    )
    if len(done) == len(days):
        return
    chain.history_job = start_job(
        HISTORY_JOB,
        history_task,
        organization_id=chain.organization.pk,
        params={
            "days": chain.days,
            "seed": chain.seed,
            "size": size,
            "today": chain.today.isoformat(),
        },
        total=len(days),
    )


@contextmanager
def unlogged_queries() -> Iterator[None]:
    """Load without Django's record of every query, which DEBUG (as `make demo` runs) keeps.

    A year of history sends millions of queries; recording each costs more than many of
    them take. Only this thread's connection stops recording, so the pages and other jobs
    of the same process keep theirs.
    """
    connection.make_debug_cursor = connection.make_cursor  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del connection.make_debug_cursor


def reset_demo_database() -> None:
    """Empty the database for a fresh demo; refused while it holds anything but the demo."""
    demo_users = User.objects.filter(memberships__organization__code__iexact=DEMO_ORG_CODE)
    other_orgs = Organization.objects.exclude(code__iexact=DEMO_ORG_CODE)
    other_users = User.objects.exclude(pk__in=demo_users.values("pk"))
    if other_orgs.exists() or other_users.exists():
        raise conflict(
            errors.RESET_REFUSED,
            _(
                "This database holds organizations or users besides the demo, "
                "so it is not emptied. Reset works only on a demo database."
            ),
        )
    call_command("flush", interactive=False, verbosity=0)
    logger.info("emptied the database for a fresh demo")
