"""Benchmark: admin changelists at division scale vs 1/100 of the data (PostgreSQL).

    .venv/bin/python bench/admin_scale.py [--repeat 15] [--json out.json]

Two databases made by `manage.py generate_scale_data` (created and filled on the first run,
reused afterwards; bench/throughput.py shares the big one):

- 1/100:  --scale 0.01 (50 communities, 2,500 residents, 10,000 work-log rows, 1,000 requests)
- 1x:     the division scale (250,000 residents, 1,000,000 work-log rows, 100,000 requests)

In a process of its own per database (production settings, DEBUG off), the Django test client
opens each changelist as a superuser (every community: the unfiltered list) and as the
secretary of "scale-01" (one community's rows); two warm-up requests, then the median of
--repeat requests, and the number of queries. Goal: the
division-scale time at most 2x the 1/100 time for the residents and work logs (the issue's
goal); exits non-zero otherwise. The request list is measured and reported beside them, with
the number of rows each page shows (a community's list at 1/100 may not fill a page).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.throughput import PG, PYTHON, collect_static, django_env, ensure_database  # noqa: E402

DATABASES = {"1/100": ("portal_perf_bench_100th", 0.01), "1x": ("portal_perf_bench_10x", 1.0)}
PAGES = {
    "residents": "/admin/community/resident/",
    "work logs": "/admin/governance/worklog/",
    "requests": "/admin/governance/servicerequest/",
}
LIMIT = 2.0
# The goal names these two lists; the request list is measured beside them.
GOALS = ("residents", "work logs")


def worker(repeat: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts import roles
    from accounts.models import StaffProfile
    from community.models import Community

    User = get_user_model()
    community = Community.objects.get(slug="scale-01")
    superuser, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    secretary, _ = User.objects.get_or_create(
        username="bench-secretary", defaults={"is_staff": True}
    )
    secretary.groups.add(Group.objects.get(name=roles.SECRETARY))
    StaffProfile.objects.get_or_create(user=secretary, defaults={"community": community})
    results = {}
    for who, user in [("superuser", superuser), ("secretary", secretary)]:
        # A session made by hand: force_login() would run the login signal's receivers,
        # which are not what is measured (and want a request).
        session = SessionStore()
        session.update(
            {
                SESSION_KEY: str(user.pk),
                # As a login through the login page leaves it (accounts/two_factor.py).
                BACKEND_SESSION_KEY: "accounts.two_factor.RequestAwareAxesBackend",
                "hx_needs_second_factor": False,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        session.create()
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        for page, path in PAGES.items():
            for _ in range(2):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            results[f"{page} ({who})"] = {
                "ms": statistics.median(times),
                "queries": len(queries.captured_queries),
                "rows": len(response.context_data["cl"].result_list),
            }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.repeat)))
        return 0

    results = {}
    for label, (name, scale) in DATABASES.items():
        url = ensure_database(name, scale)
        collect_static(url)
        print(f"measuring the admin at {label} ...", file=sys.stderr, flush=True)
        out = subprocess.run(
            [PYTHON, __file__, "--worker", "--repeat", str(args.repeat)],
            env={**django_env(url), "DJANGO_SETTINGS_MODULE": "config.settings"},
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    ratios = {
        page: results["1x"][page]["ms"] / results["1/100"][page]["ms"] for page in results["1x"]
    }
    report = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": PG.rsplit("@", 1)[-1],
        "repeat": args.repeat,
        "results": results,
        "ratios": ratios,
        "limit": LIMIT,
        "goals": list(GOALS),
    }
    text = json.dumps(report, indent=2)
    if args.json:
        args.json.write_text(text)
    print(text)
    failed = [page for page, ratio in ratios.items() if ratio > LIMIT and page.startswith(GOALS)]
    if failed:
        print(f"above {LIMIT}x: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
