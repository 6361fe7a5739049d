"""Benchmark: page throughput under gunicorn + wrk, as ratios to a bare "hello" view.

    .venv/bin/python bench/throughput.py [--duration 10] [--runs 3] [--json out.json]

Protocol (docs/benchmarks.md): production settings (DEBUG off,
SECURE_SSL_REDIRECT=0), gunicorn with 2 sync workers pinned to CPU 1, wrk with one thread and 16
connections pinned to CPU 0, loopback only, fixed-length runs. Every page is measured against
config.benchmark.benchmark_hello (served only because BENCHMARK_HELLO=1 is set), interleaved
with it in each round, and the median of the rounds is taken:

- two more baselines: the hello view reading the resident's session, and loading the logged-in
  secretary and checking one permission (what the tracking page and the dashboard must do
  before their own work; reported beside their ratios, the floors stay against plain hello);
- home (/), the notice list (/notices/), the tracking page showing a tracked request with its
  timeline (/requests/track/, a session cookie) and the secretary's dashboard (/dashboard/, a
  logged-in secretary's session), for the community "scale-01";
- on two PostgreSQL databases made by `manage.py generate_scale_data`: 1x = --scale 0.1
  (5,000 residents, 20,000 work-log rows and 2,000 requests per community) and 10x = the
  division scale (the defaults: 50 communities, 250,000 residents, 1,000,000 work-log rows,
  100,000 requests). Databases are created and filled on the first run and reused afterwards.

Prints a JSON document (and writes it with --json); bench/report.py turns it into Markdown.
Exits non-zero if a page answers anything but 200 or a ratio misses its floor.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
STATIC_ROOT = Path("/tmp/hx-bench-static")
PG = os.environ.get("BENCH_PG", "postgres://portal:portal@127.0.0.1:5432")
DATABASES = {"1x": ("portal_perf_bench_1x", 0.1), "10x": ("portal_perf_bench_10x", 1.0)}
SLUG = "scale-01"
PAGES = ["hello", "hello-session", "hello-login", "home", "notices", "track", "dashboard"]
FLOORS = {"home": 0.35, "notices": 0.25, "track": 0.25, "dashboard": 0.25}
# The fixed cost of a visitor with a session, measured on its own: the hello view reading the
# resident's session, and loading the logged-in secretary and checking a permission.
BASELINES = {
    "home": "hello",
    "notices": "hello",
    "track": "hello-session",
    "dashboard": "hello-login",
}
SCALE_FLOOR = 0.8
BASE_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "FIELD_ENCRYPTION_KEY": "benchmark-only-field-key",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "STATIC_ROOT": str(STATIC_ROOT),
    "PORTAL_COMMUNITY_SLUG": SLUG,
    "LOG_LEVEL": "WARNING",
}


def django_env(database_url: str, **extra) -> dict:
    return {**os.environ, **BASE_ENV, "DATABASE_URL": database_url, **extra}


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def ensure_database(name: str, scale: float) -> str:
    """The database `name`, migrated and filled with generate_scale_data --scale once."""
    import psycopg

    url = f"{PG}/{name}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    env = django_env(url)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    check = (
        "from community.models import Community;"
        f"print(Community.objects.filter(slug='{SLUG}').exists())"
    )
    filled = run([PYTHON, "manage.py", "shell", "-c", check], env, capture_output=True, text=True)
    if filled.stdout.strip().splitlines()[-1:] != ["True"]:
        print(f"generating {name} (--scale {scale}) ...", file=sys.stderr, flush=True)
        run([PYTHON, "manage.py", "generate_scale_data", "--scale", str(scale)], env)
    return url


def collect_static(url: str) -> None:
    """The production (manifest) static files, which DEBUG-off pages need."""
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], django_env(url))


PREPARE = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from accounts import roles
from accounts.models import StaffProfile
from community.models import Community
from governance.models import ServiceRequest
from governance.views.requests import TRACKED_KEY

community = Community.objects.get(slug="%(slug)s")
user, _ = get_user_model().objects.get_or_create(
    username="bench-secretary", defaults={"is_staff": True}
)
user.groups.add(Group.objects.get(name=roles.SECRETARY))
StaffProfile.objects.get_or_create(user=user, defaults={"community": community})
# As a login through the login page leaves it: the backend that authenticated (it loads the
# user with the community's second-factor rule joined in) and the second-factor flag.
from accounts.two_factor import SESSION_FLAG
backend = "accounts.two_factor.RequestAwareAxesBackend"
assert backend in settings.AUTHENTICATION_BACKENDS
secretary = SessionStore()
secretary.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, SESSION_FLAG: False,
                  HASH_SESSION_KEY: user.get_session_auth_hash()})
secretary.create()
tracked = (ServiceRequest.objects.filter(community=community, status="closed")
           .order_by("-submitted_at").first())
resident = SessionStore()
resident[TRACKED_KEY] = tracked.pk
resident.create()
print(json.dumps({"secretary": secretary.session_key, "resident": resident.session_key,
                  "reference": tracked.reference}))
"""


def prepare(url: str) -> dict:
    """A secretary's session and a resident's session tracking a closed request."""
    out = run(
        [PYTHON, "manage.py", "shell", "-c", PREPARE % {"slug": SLUG}],
        django_env(url),
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def taskset(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() > 1 else []


class Server:
    def __init__(self, url: str):
        self.port = free_port()
        env = django_env(url, BENCHMARK_HELLO="1")
        args = [GUNICORN, "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
        args += ["--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"]
        self.process = subprocess.Popen(taskset(1) + args, env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def target(server: Server, page: str, sessions: dict) -> tuple[str, list[str]]:
    base = f"http://127.0.0.1:{server.port}"
    paths = {
        "hello": ("/benchmark-hello/", None),
        "hello-session": ("/benchmark-hello-session/", sessions["resident"]),
        "hello-login": ("/benchmark-hello-session/", sessions["secretary"]),
        "home": ("/", None),
        "notices": ("/notices/", None),
        "track": ("/requests/track/", sessions["resident"]),
        "dashboard": ("/dashboard/", sessions["secretary"]),
    }
    path, session = paths[page]
    headers = ["-H", f"Cookie: sessionid={session}"] if session else []
    return base + path, headers


def check(url: str, headers: list[str], expect: str | None = None) -> None:
    """One request with curl-like urllib: the page must answer 200 (and contain expect)."""
    import urllib.request

    request = urllib.request.Request(url)
    for i in range(1, len(headers), 2):
        name, value = headers[i].split(": ", 1)
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read().decode()
        if response.status != 200 or (expect and expect not in body):
            raise RuntimeError(f"{url}: {response.status}, {expect!r} missing")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: list[str], duration: int, connections: int) -> dict:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", *headers, url]
    out = subprocess.run(taskset(0) + args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    if bad or errors:
        raise RuntimeError(f"{url}: {bad.group(0) if bad else errors.group(0)}")
    return {"rps": rps, "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)]}


def measure(url: str, *, duration: int, runs: int, connections: int) -> dict:
    sessions = prepare(url)
    server = Server(url)
    try:
        for page in PAGES:
            check(*target(server, page, sessions))
        samples = {page: [] for page in PAGES}
        for page in PAGES:  # warm-up: caches, connections, the workers' imports
            wrk(*target(server, page, sessions), 2, connections)
        for _ in range(runs):
            for page in PAGES:
                samples[page].append(wrk(*target(server, page, sessions), duration, connections))
    finally:
        server.stop()
    return {
        page: {
            "rps": statistics.median(s["rps"] for s in runs_),
            "p99_ms": statistics.median(s["p99_ms"] for s in runs_),
            "samples": runs_,
        }
        for page, runs_ in samples.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="rounds (the median is kept)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args()

    urls = {label: ensure_database(name, scale) for label, (name, scale) in DATABASES.items()}
    collect_static(urls["1x"])
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = {}
    for label, url in urls.items():
        print(f"measuring {label} ...", file=sys.stderr, flush=True)
        results[label] = measure(
            url, duration=args.duration, runs=args.runs, connections=args.connections
        )
    big, small = results["10x"], results["1x"]
    ratios = {
        page: {
            "vs_hello": big[page]["rps"] / big["hello"]["rps"],
            "floor": FLOORS[page],
            "baseline": BASELINES[page],
            "vs_baseline": big[page]["rps"] / big[BASELINES[page]]["rps"],
            "p99_vs_hello": big[page]["p99_ms"] / big["hello"]["p99_ms"],
            "10x_vs_1x": big[page]["rps"] / small[page]["rps"],
        }
        for page in FLOORS
    }
    report = {
        "started": started,
        "duration_s": args.duration,
        "runs": args.runs,
        "connections": args.connections,
        "load_average": os.getloadavg(),
        "results": results,
        "ratios": ratios,
    }
    text = json.dumps(report, indent=2)
    if args.json:
        args.json.write_text(text)
    print(text)
    failed = [
        page
        for page, r in ratios.items()
        if r["vs_hello"] < r["floor"] or r["10x_vs_1x"] < SCALE_FLOOR
    ]
    if failed:
        print(f"below a floor: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
