"""Division-scale data for benchmarks (`manage.py generate_scale_data`).

Deterministic: the same seed and sizes give the same rows (apart from the random parts of the
Fernet ciphertexts, which never leave the database). Places, stars and users go through the ORM;
the big tables (residents, work logs and their star links, requests and their events) are
written with one prepared INSERT per batch (SQLite: executemany) or COPY (PostgreSQL), with ids
assigned here, in transactions of BATCH rows.

Every protected value is encrypted on its own (Fernet, about 11 µs a value on this machine: 7 s
for 250,000 residents' ID numbers and phones), so ciphertext sizes and decryption costs are those
of real data; blind indexes are real HMACs, masks are real masks.
"""

import bisect
import datetime
import functools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from community.models import Building, Community, Compound, Grid, Household, Resident, Unit
from community.validators import id_number_check_character
from governance.models import (
    Notice,
    RequestCategory,
    RequestEvent,
    ServiceRequest,
    WorkLog,
)
from governance.services.requests import format_reference, phone_index
from governance.services.setup import set_up_community
from privacy import audit
from privacy.crypto import blind_index, encrypt
from privacy.masks import mask_id_number, mask_phone

BATCH = 20_000
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉华红建国志文"
UNITS_PER_BUILDING = 2
HOUSEHOLDS_PER_UNIT = 12
GRIDS = 4
WORK_MONTHS = 24
NOTICES_PER_COMMUNITY = 60


@dataclass(frozen=True)
class Sizes:
    communities: int = 50
    residents: int = 250_000
    work_logs: int = 1_000_000
    requests: int = 100_000

    def scaled(self, factor: float) -> "Sizes":
        return Sizes(
            communities=self.communities,
            residents=max(1, round(self.residents * factor)),
            work_logs=max(1, round(self.work_logs * factor)),
            requests=max(1, round(self.requests * factor)),
        )


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


@functools.cache
def _starts_of(counts: tuple[int, ...]) -> list[int]:
    starts, total = [], 0
    for count in counts:
        starts.append(total)
        total += count
    return starts


def _starts(table: list[tuple[int, int]]) -> list[int]:
    return _starts_of(tuple(count for _, count in table))


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _insert(model_or_table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Write rows into a table: COPY on PostgreSQL, executemany elsewhere."""
    table = getattr(getattr(model_or_table, "_meta", None), "db_table", model_or_table)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def _batched(total: int, make: Callable[[int], tuple[list, ...]], write, log, label: str):
    started = time.perf_counter()
    for offset in range(0, total, BATCH):
        parts = make(offset, min(offset + BATCH, total))
        with transaction.atomic():
            write(*parts)
    log(f"  {total:,} {label} in {time.perf_counter() - started:.1f} s")


def _id_number(rng: random.Random, birth: datetime.date) -> str:
    first17 = f"65{rng.randrange(1000, 9999)}{birth:%Y%m%d}{rng.randrange(100, 999)}"
    return first17 + id_number_check_character(first17)


def _mobile(rng: random.Random, n: int) -> str:
    # Distinct per resident: 1 + operator digit + the running number (nine digits).
    return f"1{rng.choice('3589')}{n:09d}"


@dataclass
class _Run:
    """What the steps of one generate() share: the generator, the clock and the rows so far."""

    sizes: Sizes
    rng: random.Random
    log: Callable[[str], None]
    now: datetime.datetime
    today: datetime.date
    communities: list = field(default_factory=list)
    authors: dict = field(default_factory=dict)  # community id -> the author user
    places: dict = field(
        default_factory=dict
    )  # community id -> (buildings, units, compounds, grids)
    household_ids: dict = field(default_factory=dict)  # community id -> [(household, building)]


# Benchmark data, nobody's work: not audited (privacy.audit.suppressed). Most tables are
# written with raw COPY/INSERT, which no audit would see anyway.
@audit.suppressed()
def generate(
    *,
    sizes: Sizes = Sizes(),  # noqa: B008 - frozen dataclass
    seed: int = 1,
    prefix: str = "scale",
    log: Callable[[str], None] = print,
) -> list[Community]:
    """Create sizes.communities communities "<prefix>-01"... with their share of every table."""
    if Community.objects.filter(slug__startswith=f"{prefix}-").exists():
        raise ValueError(f"Communities '{prefix}-*' exist already: use another prefix or database.")
    run = _Run(
        sizes=sizes,
        rng=random.Random(seed),
        log=log,
        now=timezone.now().replace(microsecond=0),
        today=timezone.localdate(),
    )
    started = time.perf_counter()
    _create_communities(run, prefix)
    log(f"  {sizes.communities} communities with places in {time.perf_counter() - started:.1f} s")
    _create_households(run)
    _write_residents(run)
    _write_work_logs(run)
    _write_requests(run)
    _write_notices(run)
    _reset_sequences([Resident, WorkLog, ServiceRequest, RequestEvent])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"generated in {time.perf_counter() - started:.1f} s")
    return run.communities


def _households_per_community(sizes: Sizes) -> list[int]:
    return [max(1, n // 3) for n in _split(sizes.residents, sizes.communities)]


@transaction.atomic
def _create_communities(run: _Run, prefix: str) -> None:
    """The communities with their stars, an author, grids, compounds, buildings and units."""
    User = get_user_model()
    per_building = UNITS_PER_BUILDING * HOUSEHOLDS_PER_UNIT
    households = _households_per_community(run.sizes)
    for i in range(run.sizes.communities):
        community = set_up_community(
            name=f"规模社区{i + 1:02d}",
            slug=f"{prefix}-{i + 1:02d}",
            regiment="第一团",
            division="第一师",
        )
        run.communities.append(community)
        run.authors[community.pk] = User.objects.create(
            username=f"{prefix}-{i + 1:02d}-author", is_staff=True
        )
        grids = Grid.objects.bulk_create(
            Grid(community=community, code=f"G{g + 1}", name=f"第{g + 1}网格") for g in range(GRIDS)
        )
        compounds = Compound.objects.bulk_create(
            Compound(community=community, name=f"{g + 1}号小区") for g in range(GRIDS)
        )
        buildings = Building.objects.bulk_create(
            Building(
                community=community,
                compound=compounds[b % GRIDS],
                grid=grids[b % GRIDS],
                number=f"{b + 1}",
            )
            for b in range(-(-households[i] // per_building))
        )
        units = Unit.objects.bulk_create(
            Unit(building=building, number=f"{u + 1}")
            for building in buildings
            for u in range(UNITS_PER_BUILDING)
        )
        run.places[community.pk] = (buildings, units, compounds, grids)


def _create_households(run: _Run) -> None:
    """Households: the ORM in batches (a few per cent of the rows)."""
    t = time.perf_counter()
    counts = _households_per_community(run.sizes)
    for community, count in zip(run.communities, counts, strict=True):
        units = run.places[community.pk][1]
        rows = []
        for h in range(count):
            unit = units[h // HOUSEHOLDS_PER_UNIT]
            rows.append(
                Household(
                    community=community,
                    building_id=unit.building_id,
                    unit=unit,
                    door_number=f"{h % HOUSEHOLDS_PER_UNIT // 2 + 1}0{h % 2 + 1}",
                    is_low_income=run.rng.random() < 0.03,
                )
            )
        created = Household.objects.bulk_create(rows, batch_size=2000)
        run.household_ids[community.pk] = [(h.pk, h.building_id) for h in created]
    run.log(f"  {sum(counts):,} households in {time.perf_counter() - t:.1f} s")


RESIDENT_COLUMNS = [
    "id", "community_id", "household_id", "name", "gender", "birth_date", "ethnicity",
    "id_number", "id_number_hash", "id_number_masked", "phone", "phone_hash",
    "phone_masked", "phone_last4", "relation_to_head", "political_status",
    "residency_type", "moved_in", "moved_out", "notes",
]  # fmt: skip


def _write_residents(run: _Run) -> None:
    """Three a household on average; ID numbers and phones encrypted one by one."""
    first_resident = _next_id(Resident)
    owner = []  # (community_id, household_id) by position
    for community, count in zip(
        run.communities, _split(run.sizes.residents, run.sizes.communities), strict=True
    ):
        homes = run.household_ids[community.pk]
        owner += [(community.pk, homes[r % len(homes)][0]) for r in range(count)]
    residency = [choice.value for choice in Resident.ResidencyType]
    rng = run.rng

    def residents(start, stop):
        rows = []
        for n in range(start, stop):
            community_id, household_id = owner[n]
            birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(29_000))
            id_number, phone = _id_number(rng, birth), _mobile(rng, n)
            rows.append(
                (
                    first_resident + n, community_id, household_id,
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    rng.choice("MF"), birth, "",
                    encrypt(id_number), blind_index(id_number, purpose="id_number"),
                    mask_id_number(id_number),
                    encrypt(phone), blind_index(phone, purpose="phone"), mask_phone(phone),
                    phone[-4:], "", "", rng.choice(residency), None, None, "",
                )
            )  # fmt: skip
        return (rows,)

    _batched(
        run.sizes.residents,
        residents,
        lambda rows: _insert(Resident, RESIDENT_COLUMNS, rows),
        run.log,
        "residents",
    )


def _owner_of(n, table):
    """(community id, position within the community, the community's count) of row n."""
    starts = _starts(table)
    i = bisect.bisect_right(starts, n) - 1
    return table[i][0], n - starts[i], table[i][1]


def _owners(run: _Run, total: int) -> list[tuple[int, int]]:
    """(community id, number of rows) for `total` rows shared out over the communities."""
    counts = _split(total, run.sizes.communities)
    return [(c.pk, n) for c, n in zip(run.communities, counts, strict=True)]


LOG_COLUMNS = [
    "id", "community_id", "date", "kind", "title", "description", "place", "participants",
    "households_reached", "brochures", "online_posts", "is_public", "author_id",
    "created_at", "updated_at",
]  # fmt: skip


def _write_work_logs(run: _Run) -> None:
    """Work logs over the last WORK_MONTHS months, ids in date order, a fifth joint work."""
    first_log = _next_id(WorkLog)
    link_model = WorkLog.stars.through
    stars = {
        c.pk: list(c.stars.order_by("order").values_list("id", flat=True)) for c in run.communities
    }
    kinds = WorkLog.Kind.values
    span = WORK_MONTHS * 30
    first_day = run.today - datetime.timedelta(days=span)
    owner = _owners(run, run.sizes.work_logs)
    rng, now = run.rng, run.now

    def work_logs(start, stop):
        logs, links = [], []
        for n in range(start, stop):
            community_id, k, count = _owner_of(n, owner)
            day = first_day + datetime.timedelta(days=k * span // count + rng.randrange(0, 3))
            day = min(day, run.today)
            pk = first_log + n
            kind = rng.choice(kinds)
            logs.append(
                (
                    pk, community_id, day, kind, f"{day:%m月%d日}{WorkLog.Kind(kind).label}",
                    "", "", rng.randrange(100), rng.randrange(50), rng.randrange(60),
                    rng.randrange(3), rng.random() < 0.1, run.authors[community_id].pk, now, now,
                )
            )  # fmt: skip
            ids = stars[community_id]
            chosen = rng.sample(ids, 2) if rng.random() < 0.2 else [rng.choice(ids)]
            links += [(pk, star_id) for star_id in chosen]
        return logs, links

    def write_logs(logs, links):
        _insert(WorkLog, LOG_COLUMNS, logs)
        _insert(link_model, ["worklog_id", "star_id"], links)

    _batched(run.sizes.work_logs, work_logs, write_logs, run.log, "work-log rows (and star links)")


REQUEST_COLUMNS = [
    "id", "community_id", "reference", "category_id", "description", "compound_id",
    "building_id", "unit_id", "place_text", "grid_id", "star_id", "assignee_id",
    "requester_name", "phone", "phone_last4", "phone_index", "channel", "consent_at",
    "status", "submitted_at", "due_at", "original_due_at", "due_provisional", "extended_at",
    "accepted_at",
    "assigned_at", "started_at", "resolved_at", "followed_up_at", "closed_at",
    "resolution_note", "reject_reason", "duplicate_of_id", "rated_solved", "satisfaction",
    "rating_comment", "rated_at", "reopen_count", "created_by_id",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "request_id", "kind", "from_status", "to_status", "actor_id", "note",
    "public_note", "at",
]  # fmt: skip
S, K = ServiceRequest.Status, RequestEvent.Kind
# The steps a request may have gone through, in order: (event, from, to).
STEPS = [
    (K.ACCEPTED, S.SUBMITTED, S.ACCEPTED),
    (K.ASSIGNED, S.ACCEPTED, S.ASSIGNED),
    (K.RESOLVED, S.ASSIGNED, S.RESOLVED),
    (K.CLOSED, S.RESOLVED, S.CLOSED),
]


def _request_row(run: _Run, *, pk, n, community_id, k, count, categories):
    """One request's row and the times of its steps after submission."""
    rng = run.rng
    span = WORK_MONTHS * 30
    buildings = run.places[community_id][0]
    building = buildings[rng.randrange(len(buildings))]
    submitted = run.now - datetime.timedelta(minutes=(count - k) * span * 24 * 60 // count)
    due = submitted + datetime.timedelta(days=5)
    done = rng.choices(range(5), weights=[5, 5, 10, 10, 70])[0]
    status = STEPS[done - 1][2] if done else S.SUBMITTED
    author = run.authors[community_id].pk
    at = [submitted + datetime.timedelta(hours=4 * (s + 1)) for s in range(done)]
    phone = _mobile(rng, n)
    row = (
        pk, community_id, format_reference(submitted.year, k + 1),
        rng.choice(categories), "楼道灯不亮,请帮忙修理。", building.compound_id,
        building.pk, None, "", building.grid_id,
        None, author if done >= 2 else None, "", encrypt(phone), phone[-4:],
        phone_index(phone), "web", submitted, status,
        submitted, due, due, False, None, at[0] if done >= 1 else None,
        at[1] if done >= 2 else None, at[1] if done >= 2 else None,
        at[2] if done >= 3 else None, None, at[3] if done >= 4 else None,
        "已处理" if done >= 3 else "", "", None, None, "", "", None, 0, None,
    )  # fmt: skip
    return row, submitted, at, author


def _write_requests(run: _Run) -> None:
    """Requests with their events: submitted, then (mostly) accepted, assigned, resolved, closed."""
    categories = list(RequestCategory.objects.order_by("order", "id").values_list("id", flat=True))
    if not categories:
        categories = [RequestCategory.objects.create(name="其他", order=99).pk]
    first_request, first_event = _next_id(ServiceRequest), _next_id(RequestEvent)
    owner = _owners(run, run.sizes.requests)
    state = {"event": first_event}

    def requests(start, stop):
        rows, events = [], []
        for n in range(start, stop):
            community_id, k, count = _owner_of(n, owner)
            pk = first_request + n
            row, submitted, at, author = _request_row(
                run, pk=pk, n=n, community_id=community_id, k=k, count=count, categories=categories
            )
            rows.append(row)
            events.append(
                (state["event"], pk, K.SUBMITTED, "", S.SUBMITTED, None, "", "", submitted)
            )
            state["event"] += 1
            for s in range(len(at)):
                kind, old, new = STEPS[s]
                events.append((state["event"], pk, kind, old, new, author, "", "", at[s]))
                state["event"] += 1
        return rows, events

    def write_requests(rows, events):
        _insert(ServiceRequest, REQUEST_COLUMNS, rows)
        _insert(RequestEvent, EVENT_COLUMNS, events)

    _batched(run.sizes.requests, requests, write_requests, run.log, "requests (and their events)")


def _write_notices(run: _Run) -> None:
    """A page or two of public notices per community (the public lists are paginated)."""
    t = time.perf_counter()
    Notice.objects.bulk_create(
        (
            Notice(
                community=community,
                title=f"通知{n + 1}",
                category=run.rng.choice(Notice.Category.values),
                body="请各位居民相互转告。",
                status=Notice.Status.PUBLISHED,
                pinned=n < 2,
                publish_at=run.now - datetime.timedelta(days=n),
                created_by=run.authors[community.pk],
            )
            for community in run.communities
            for n in range(NOTICES_PER_COMMUNITY)
        ),
        batch_size=2000,
    )
    run.log(f"  notices in {time.perf_counter() - t:.1f} s")
