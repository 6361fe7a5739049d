"""Benchmark: the cost of the audited bulk paths (privacy/auditing_queryset.py).

    DATABASE_URL=sqlite:////tmp/hx-audit-cost.sqlite3 .venv/bin/python bench/audit_cost.py
    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_audit_cost \
        .venv/bin/python bench/audit_cost.py

In-process, median of 5, into a database of its own (migrated on the first run; never the
development database).
Measures one bulk_update() of 1,000 work-log rows and one update() of 10,000 work-log rows,
audited (inside a request context: actor and IP) and under audit.suppressed() (= Django's own
path), each in its own transaction.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if "DATABASE_URL" not in os.environ:
    sys.exit("Set DATABASE_URL to a database of its own (see the docstring).")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "insecure-test-field-key")
import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from community.models import Community  # noqa: E402
from governance.models import WorkLog  # noqa: E402
from governance.services.setup import set_up_community  # noqa: E402
from privacy import audit  # noqa: E402
from privacy.context import current_request  # noqa: E402
from privacy.models import AuditEvent  # noqa: E402

RUNS = 5
call_command("migrate", verbosity=0)
community = Community.objects.filter(slug="audit-cost").first() or set_up_community(
    name="成本社区", slug="audit-cost"
)
user, _ = get_user_model().objects.get_or_create(username="audit-cost", defaults={"is_staff": True})
with audit.suppressed():
    WorkLog.objects.filter(community=community).delete()
    WorkLog.objects.bulk_create(
        [
            WorkLog(
                community=community,
                date=dt.date(2024, 1, 1 + n % 28),
                kind="activity",
                title=f"记录{n}",
                author=user,
            )
            for n in range(10_000)
        ],
        batch_size=2000,
    )
request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
request.user, request.client_ip = user, "203.0.113.5"
current_request.set(request)


def timed(fn):
    started = time.perf_counter()
    with transaction.atomic():
        fn()
    return time.perf_counter() - started


def bulk_update(run):
    objs = list(WorkLog.objects.filter(community=community).order_by("id")[:1000])
    for obj in objs:
        obj.title = f"改{run}-{obj.pk}"
    return lambda: WorkLog.objects.bulk_update(objs, ["title"])


def update(run):
    return lambda: WorkLog.objects.filter(community=community).update(brochures=run + 1)


results = {}
for name, make in [("bulk_update 1,000 rows", bulk_update), ("update() 10,000 rows", update)]:
    plain, audited = [], []
    for run in range(RUNS):  # interleaved, so that a busy moment hits both alike
        fn = make(run)
        with audit.suppressed():
            plain.append(timed(fn))
        fn = make(run + 100)
        before = AuditEvent.objects.count()
        audited.append(timed(fn))
        rows = AuditEvent.objects.count() - before
    results[name] = (statistics.median(plain), statistics.median(audited), rows)

print(f"{connection.vendor}: median of {RUNS}")
for name, (plain, audited, rows) in results.items():
    print(
        f"  {name}: plain {plain * 1000:.0f} ms, audited {audited * 1000:.0f} ms "
        f"(+{(audited - plain) * 1000:.0f} ms, x{audited / plain:.1f}; {rows} audit rows per call)"
    )
