"""The demo community, built from the readable spec under fixtures/ (idempotent).

fixtures/demo.toml holds the community and the demo logins; fixtures/demo/places.toml the grids,
compounds and buildings; fixtures/demo/names.toml the name pools; fixtures/demo/2024.toml the
year 2024 as records. Everything random comes from one seeded random.Random, so two loads into
empty databases give the same people and records.

The first load builds the places, 1,200 households and 3,000 fictional residents, then the 2024
records through the services staff use (each module of this package says which), and then lets
the scoring engine compute, review, lock and assess 2024. A later load finds the residents and
only makes sure the demo logins exist and work.
"""

import datetime as dt
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from community.models import Community, Resident
from community.services import ensure_care_tags
from governance.demo.context import Demo, aware
from governance.demo.disputes import build_disputes
from governance.demo.ledger import build_ledger, build_weekly_tasks
from governance.demo.people import build_people
from governance.demo.places import build_places
from governance.demo.project import build_project
from governance.demo.requests import build_requests
from governance.demo.scores import build_scores
from governance.demo.unity import build_unity
from governance.demo.users import DemoLogin, ensure_users
from governance.demo.visits import build_visits
from governance.demo.welfare import build_welfare
from governance.models import Notice
from governance.services.setup import set_up_community
from governance.services.stars import ensure_stars
from privacy import audit

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_SPEC = FIXTURES / "demo.toml"
DEMO_DIR = FIXTURES / "demo"


@dataclass
class DemoResult:
    community: Community
    created: bool
    logins: list[DemoLogin] = field(default_factory=list)


def read_spec(spec_path: Path = DEMO_SPEC) -> dict:
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    folder = spec_path.parent / "demo"
    for name in ("places", "names", "2024"):
        path = folder / f"{name}.toml"
        if path.exists():
            spec[name] = tomllib.loads(path.read_text(encoding="utf-8"))
    return spec


def demo_last_day(spec: dict | None = None) -> dt.date:
    """The last day of the demo's year (fixtures/demo/2024.toml `year`): the day `make run`
    sets as PORTAL_TODAY, so pages open on the demo's records (accounts/portal_date.py)."""
    spec = read_spec() if spec is None else spec
    return dt.date(spec.get("2024", {}).get("year", 2024), 12, 31)


@contextmanager
def unlogged_queries() -> Iterator[None]:
    """Django's debug log of SQL is off while the demo loads. load_demo runs with DEBUG on, and
    keeping the text of its tens of thousands of queries (on SQLite one more query each, to
    quote the parameters) would cost a third of its time for a log nobody reads. A caller that
    asked for the log (django.test.utils.CaptureQueriesContext forces the debug cursor) still
    gets it."""
    if connection.force_debug_cursor:
        yield
        return
    connection.make_debug_cursor = connection.make_cursor
    try:
        yield
    finally:
        del connection.make_debug_cursor


# Not audited (privacy.audit.suppressed): the demo is fictional data that a command with no
# user and no address writes in one go, tens of thousands of rows that fixtures/ re-creates
# identically. Auditing it would bury the first real actions under rows "created by nobody";
# the trail starts with the people who use the portal (their logins are audited as usual).
@audit.suppressed()
@unlogged_queries()
@transaction.atomic
def load_demo(*, spec_path: Path = DEMO_SPEC) -> DemoResult:
    spec = read_spec(spec_path)
    info = spec["community"]
    community = Community.objects.filter(slug=info["slug"]).first()
    if community is None:
        community = set_up_community(
            name=info["name"],
            slug=info["slug"],
            regiment=info.get("regiment", ""),
            division=info.get("division", ""),
        )
    else:
        ensure_stars(community=community)
        ensure_care_tags(community=community)
    created = False
    if "places" in spec and not Resident.objects.filter(community=community).exists():
        build_places(community, spec["places"])
    logins = ensure_users(community, spec.get("users", []))
    if "places" in spec and not Resident.objects.filter(community=community).exists():
        build(Demo(community, spec))
        refresh_planner_statistics()
        created = True
    return DemoResult(community=community, created=created, logins=logins)


def refresh_planner_statistics() -> None:
    """After thousands of rows arrive at once, PostgreSQL's planner still sees the tables as
    they were at its last ANALYZE (often empty) until autovacuum comes round, and can pick a
    plan fit for ten rows: measure them now. (SQLite plans without such statistics.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build(demo: Demo) -> None:
    """The people, then (when the spec has a year) the year's records and its scores."""
    build_people(demo)
    if demo.year_spec:
        build_year(demo)
        refresh_planner_statistics()  # the scores read what was just written
        build_scores(demo)


def build_year(demo: Demo) -> None:
    """The year's records, in the order the seeded generator draws for them."""
    build_ledger(demo)
    build_weekly_tasks(demo)
    build_requests(demo)
    build_disputes(demo)
    build_visits(demo)
    build_welfare(demo)
    build_unity(demo)
    build_project(demo)
    build_notices(demo)


def build_notices(demo: Demo) -> None:
    """The spec's published notices (staff write notices as plain rows in the admin)."""
    Notice.objects.bulk_create(
        Notice(
            community=demo.community,
            title=n["title"],
            category=n["category"],
            body=f"{n['title']}。\n\n详情请咨询社区服务站。",
            status=Notice.Status.PUBLISHED,
            publish_at=aware(n["date"]),
            created_by=demo.secretary,
        )
        for n in demo.year_spec.get("notices", [])
    )
