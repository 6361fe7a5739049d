"""Benchmark: one month's six-star scores over 1,000,000 work-log rows, SQL vs a Python loop.

    # SQLite (a database file of its own, created and filled on the first run)
    .venv/bin/python bench/scores.py --rows 1000000
    # PostgreSQL (the database is created if it does not exist)
    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_scoring_bench \
        .venv/bin/python bench/scores.py --rows 1000000

The ledger gets --rows entries of one community spread over --months months (a fifth of them
joint work of two stars), plus weekly tasks, veto events and a hand-entered value. Then, for
the middle month, it times

- sql:          governance.queries.scores.calculate() as the app runs it (one grouped query on the
                indexed date range for the whole ledger month),
- truncmonth:   the same aggregation filtered by TruncMonth(date) = month instead of a range,
- python-orm:   calculate() fed by a plain Python loop over the month's WorkLog objects and
                their stars (ledger_figures_python below),
- python-rows:  calculate() fed by a Python loop over (star, kind, figures) tuples, the
                leanest loop there is,

checks that all four give identical scores, and prints the figures as a Markdown table.
Generating uses bulk inserts (bulk_create with explicit ids), a few minutes for 1 M rows.
"""

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_SLUG = "bench-scores"
FIRST_MONTH = datetime.date(2023, 1, 1)


def configure_environment() -> None:
    """Settings for a run from the command line (importing this module changes nothing)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-only-field-key")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/hx-bench-scores.sqlite3")


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL URL whose database does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def months_from(first: datetime.date, count: int) -> list[datetime.date]:
    months = [first]
    while len(months) < count:
        months.append((months[-1] + datetime.timedelta(days=32)).replace(day=1))
    return months


def setup(rows: int, month_count: int, seed: int, regenerate: bool = False):
    """The bench community with `rows` ledger entries (created once, reused afterwards)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from community.models import Community
    from governance.models import (
        Indicator,
        ManualValue,
        VetoEvent,
        WeeklyTask,
        WorkLog,
    )
    from governance.services.setup import set_up_community

    community = Community.objects.filter(slug=BENCH_SLUG).first()
    existing = WorkLog.objects.filter(community=community).count() if community else 0
    if community is not None and existing == rows and not regenerate:
        print(f"reusing {rows:,} rows of community {BENCH_SLUG!r}", flush=True)
        return community
    if community is not None:
        # Raw deletes: the ORM would load a million rows to cascade.
        table, links = WorkLog._meta.db_table, WorkLog.stars.through._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {links} WHERE worklog_id IN "
                f"(SELECT id FROM {table} WHERE community_id = %s)",
                [community.id],
            )
            cursor.execute(f"DELETE FROM {table} WHERE community_id = %s", [community.id])
        community.delete()
    community = set_up_community(name="基准社区", slug=BENCH_SLUG)
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    stars = list(community.stars.order_by("order"))
    by_code = {star.code: star for star in stars}
    months = months_from(FIRST_MONTH, month_count)
    Kind, Source = WorkLog.Kind, Indicator.Source

    def indicator(code, name, source, target, weight=1, **fields):
        return Indicator(
            community=community,
            star=by_code[code],
            name=name,
            source=source,
            monthly_target=target,
            weight=weight,
            **fields,
        )

    per_month = rows / month_count
    # Targets near what the random ledger produces, so that every band is exercised.
    share = per_month / len(Kind.values) / 6 * 1.2
    indicators = Indicator.objects.bulk_create(
        [
            indicator("fortress", "会议", Source.LEDGER_COUNT, round(share), kind=Kind.MEETING),
            indicator(
                "fortress", "志愿服务", Source.LEDGER_COUNT, round(share * 1.1), kind=Kind.VOLUNTEER
            ),
            indicator(
                "safety", "调解", Source.LEDGER_COUNT, round(share * 0.9), 2, kind=Kind.MEDIATION
            ),
            indicator(
                "safety",
                "宣传资料",
                Source.LEDGER_SUM,
                round(share * 1.2 * 30 * 8),
                figure="brochures",
            ),
            indicator("jobs", "培训", Source.LEDGER_COUNT, round(share * 0.8), kind=Kind.TRAINING),
            indicator(
                "jobs",
                "入户户数",
                Source.LEDGER_SUM,
                round(share * 1.2 * 25 * 8),
                figure="households_reached",
            ),
            indicator("harmony", "走访", Source.LEDGER_COUNT, round(share), kind=Kind.HOME_VISIT),
            indicator("harmony", "满意度抽样", Source.MANUAL, 90),
            indicator(
                "cobuild",
                "参与人次",
                Source.LEDGER_SUM,
                round(share * 1.2 * 50 * 8),
                figure="participants",
            ),
            indicator("unity", "活动", Source.LEDGER_COUNT, round(share * 1.3), kind=Kind.ACTIVITY),
            indicator(
                "unity",
                "线上发布",
                Source.LEDGER_SUM,
                round(share * 8 * 1.5),
                figure="online_posts",
            ),
        ]
    )
    manual = next(i for i in indicators if i.source == Source.MANUAL)
    ManualValue.objects.bulk_create(
        ManualValue(indicator=manual, month=month, value=85 + i % 10, entered_by=user)
        for i, month in enumerate(months)
    )
    rng = random.Random(seed)
    VetoEvent.objects.bulk_create(
        VetoEvent(
            community=community,
            star=by_code["safety"],
            date=months[i] + datetime.timedelta(days=9),
            kind="safety",
            description="bench",
            recorded_by=user,
        )
        for i in range(0, month_count, 7)
    )
    tasks = []
    day = months[0] - datetime.timedelta(days=months[0].weekday())
    end = months_from(months[-1], 2)[-1]
    while day < end:
        for star in stars:
            for n in range(3):
                due = day + datetime.timedelta(days=2 + n)
                done = rng.random() < 0.8
                tasks.append(
                    WeeklyTask(
                        community=community,
                        star=star,
                        week_start=day,
                        title=f"task {n}",
                        owner=user,
                        due_date=due,
                        status="done" if done else "open",
                        closed_on=due + datetime.timedelta(days=rng.choice([0, 0, 0, 1]))
                        if done
                        else None,
                        created_by=user,
                    )
                )
        day += datetime.timedelta(days=7)
    WeeklyTask.objects.bulk_create(tasks, batch_size=2000)

    kinds = Kind.values
    first_id = (WorkLog.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    link_model = WorkLog.stars.through
    star_ids = [star.id for star in stars]
    span = (end - months[0]).days
    columns = [
        "id",
        "community_id",
        "date",
        "kind",
        "title",
        "description",
        "place",
        "participants",
        "households_reached",
        "brochures",
        "online_posts",
        "is_public",
        "author_id",
        "created_at",
        "updated_at",
    ]
    quote = connection.ops.quote_name
    insert_log = (
        f"INSERT INTO {quote(WorkLog._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    insert_link = (
        f"INSERT INTO {quote(link_model._meta.db_table)} "
        f"({quote('worklog_id')}, {quote('star_id')}) VALUES (%s, %s)"
    )
    now = timezone.now()
    batch = 50_000
    started = time.perf_counter()
    print(f"generating {rows:,} work-log rows over {month_count} months ...", flush=True)
    days = [months[0] + datetime.timedelta(days=n) for n in range(span)]

    def pk_day(pk):
        return (pk - first_id) * span // rows

    for offset in range(0, rows, batch):
        logs, links = [], []
        for pk in range(first_id + offset, first_id + min(offset + batch, rows)):
            logs.append(
                (
                    pk,
                    community.id,
                    # Entries are recorded near their date: ids follow the dates, give or take
                    # a few days (as in a real ledger; random dates would scatter the heap).
                    days[min(max(pk_day(pk) + rng.randrange(-3, 4), 0), len(days) - 1)],
                    rng.choice(kinds),
                    "bench",
                    "",
                    "",
                    rng.randrange(100),
                    rng.randrange(50),
                    rng.randrange(60),
                    rng.randrange(3),
                    False,
                    user.id,
                    now,
                    now,
                )
            )
            chosen = rng.sample(star_ids, 2) if rng.random() < 0.2 else [rng.choice(star_ids)]
            links += [(pk, star_id) for star_id in chosen]
        # Bulk inserts: one prepared statement, many rows, one transaction per batch.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert_log, logs)
            cursor.executemany(insert_link, links)
        done = offset + len(logs)
        if done % 200_000 == 0 or done == rows:
            print(f"  {done:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('governance_worklog', 'id'), "
                "(SELECT MAX(id) FROM governance_worklog))"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return community


def ledger_figures_python(*, community, start: datetime.date, end: datetime.date) -> dict:
    """The app's ledger figures from a plain Python loop over the month's WorkLog objects."""
    from governance.models import WorkLog
    from governance.queries import scores

    figures: dict = {}
    entries = (
        WorkLog.objects.filter(community=community, date__gte=start, date__lt=end)
        .prefetch_related("stars")
        .iterator(chunk_size=2000)
    )
    for entry in entries:
        for star in entry.stars.all():
            bucket = figures.setdefault((star.id, entry.kind), dict.fromkeys(scores.FIGURES, 0))
            bucket["count"] += 1
            bucket["participants"] += entry.participants
            bucket["households_reached"] += entry.households_reached
            bucket["brochures"] += entry.brochures
            bucket["online_posts"] += entry.online_posts
    return figures


def rows_loop(*, community, start, end) -> dict:
    """A Python loop over plain (star, kind, figures) tuples of the month's link rows."""
    from governance.models import WorkLog
    from governance.queries import scores

    figures: dict = {}
    rows = (
        WorkLog.stars.through.objects.filter(
            worklog__community=community, worklog__date__gte=start, worklog__date__lt=end
        )
        .values_list(
            "star_id",
            "worklog__kind",
            "worklog__participants",
            "worklog__households_reached",
            "worklog__brochures",
            "worklog__online_posts",
        )
        .iterator(chunk_size=5000)
    )
    for star_id, kind, participants, households, brochures, posts in rows:
        bucket = figures.setdefault((star_id, kind), dict.fromkeys(scores.FIGURES, 0))
        bucket["count"] += 1
        bucket["participants"] += participants
        bucket["households_reached"] += households
        bucket["brochures"] += brochures
        bucket["online_posts"] += posts
    return figures


def truncmonth_figures(*, community, start, end) -> dict:
    """The app's aggregation, filtered by TruncMonth(date) instead of an indexed range."""
    from django.db.models.functions import TruncMonth

    from governance.models import WorkLog
    from governance.queries import scores

    link = WorkLog.stars.through.objects.annotate(month=TruncMonth("worklog__date")).filter(
        worklog__community=community, month=start
    )
    return scores.grouped_ledger_figures(link)


def snapshot(star_months) -> list:
    """Everything a calculation decides, for comparing the variants."""
    return [
        (
            m.star.code,
            m.objective,
            m.overdue,
            m.deduction,
            m.vetoed,
            [(r.name, r.available, r.actual, r.points, r.band) for r in m.results],
        )
        for m in star_months
    ]


def timed(function, repeat: int):
    times, result = [], None
    for _i in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--regenerate", action="store_true", help="Generate the rows anew.")
    args = parser.parse_args()

    configure_environment()
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        ensure_postgres_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from governance.models import WorkLog
    from governance.periods import next_month
    from governance.queries import scores

    call_command("migrate", verbosity=0)
    community = setup(args.rows, args.months, args.seed, args.regenerate)
    month = months_from(FIRST_MONTH, args.months)[args.months // 2]
    start, end = month, next_month(month)
    today = datetime.date(2030, 1, 1)
    links = WorkLog.stars.through.objects.filter(
        worklog__community=community, worklog__date__gte=start, worklog__date__lt=end
    ).aggregate(n=Count("id"))["n"]
    total = WorkLog.objects.filter(community=community).count()

    def run(figures_function=None):
        def calculate():
            figures = (
                figures_function(community=community, start=start, end=end)
                if figures_function
                else None
            )
            return scores.calculate(community=community, month=month, today=today, figures=figures)

        return calculate

    calculate = run()
    calculate()  # warm the caches once
    variants = {
        "sql (range on the indexed date)": timed(calculate, args.repeat),
        "sql, TruncMonth filter": timed(run(truncmonth_figures), args.repeat),
        "python loop over WorkLog objects": timed(
            run(ledger_figures_python), max(1, args.repeat // 2)
        ),
        "python loop over value tuples": timed(run(rows_loop), args.repeat),
    }
    reference = snapshot(variants["sql (range on the indexed date)"][1])
    identical = all(snapshot(result) == reference for _t, result in variants.values())
    sql_time = variants["sql (range on the indexed date)"][0]

    engine = connection.vendor
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine_version = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        engine_version = f"SQLite {sqlite3.sqlite_version}"
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print()
    print(
        f"{engine_version}, {total:,} work-log rows, month {month:%Y-%m} "
        f"({links:,} star-entry rows), median of {args.repeat} runs; "
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{datetime.date.today():%Y-%m-%d}"  # noqa: DTZ011
    )
    print()
    print("| variant | time (ms) | vs SQL |")
    print("|---|---:|---:|")
    for name, (seconds, _result) in variants.items():
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / sql_time:.1f}x |")
    print()
    print(f"identical results: {'yes' if identical else 'NO'}")
    for star_month in variants["sql (range on the indexed date)"][1]:
        print(
            f"  {star_month.star.code}: O={star_month.objective} "
            f"D={star_month.deduction} veto={star_month.vetoed}"
        )
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
