"""Benchmark: import a generated resident ledger (XLSX) through our fast path and through
django-import-export's default configuration, on the same file.

    .venv/bin/python bench/registry_import.py                # 10,000 rows, temporary SQLite
    .venv/bin/python bench/registry_import.py --rows 2000
    DATABASE_URL=postgres://... .venv/bin/python bench/registry_import.py

Each variant runs in its own process (so its peak RSS is its own) against a freshly
migrated database: a copy of one migrated SQLite file, or, with DATABASE_URL, a new
community in that database. The timed part is reading the XLSX and importing it
(validation, lookups, writes, commit); migrating and generating the file are not timed.

Exits non-zero unless the fast path is at least 4x faster and peaks at most 300 MB RSS.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

MIN_SPEEDUP = 4.0
MAX_PEAK_MB = 300

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彩春菊"
ETHNIC = ["汉族"] * 8 + ["维吾尔族", "回族", "哈萨克族", "蒙古族"]
TAGS = ["", "", "", "", "", "", "低保", "独居老人", "空巢老人", "残疾", "退役军人、低保"]
COMPOUNDS = ["康乐小区", "星光花苑二期", "红星家园", "团结小区", "幸福里"]
RELATIONS = ["户主", "配偶", "子", "女", "父亲", "母亲"]


def _setup_django(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-key")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def generate(rows: int, seed: int = 2024) -> bytes:
    """An XLSX ledger of `rows` fictional residents: 3 per household on average, 5
    compounds, 4 grids, buildings with units; valid ID numbers and phones."""
    from community.resources import write_xlsx
    from community.validators import id_number_check_character

    def make_id_number(*, birth_date, gender, region, sequence):
        body = f"{region}{birth_date:%Y%m%d}{(sequence * 2 + (gender == 'M')) % 1000:03d}"
        return body + id_number_check_character(body)

    rng = random.Random(seed)
    headers = [
        "姓名", "性别", "出生日期", "民族", "身份证号", "联系电话", "网格", "小区", "楼栋",
        "单元", "门牌号", "与户主关系", "人口类型", "政治面貌", "人员类别", "备注",
    ]  # fmt: skip
    data = []
    seen: set[str] = set()
    for i in range(rows):
        household = i // 3
        compound = COMPOUNDS[household % len(COMPOUNDS)]
        building = f"{household // 60 + 1}号楼"
        unit = f"{household % 60 // 20 + 1}单元"
        door = f"{household % 20 // 4 + 1}0{household % 4 + 1}"
        gender = rng.choice("MF")
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 80 * 365))
        sequence = i % 500
        id_number = make_id_number(
            birth_date=born, gender=gender, region="659004", sequence=sequence
        )
        while id_number in seen:  # one person per ID number
            sequence = (sequence + 1) % 500
            id_number = make_id_number(
                birth_date=born, gender=gender, region="659004", sequence=sequence
            )
        seen.add(id_number)
        data.append([
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "男" if gender == "M" else "女",
            born.isoformat(),
            rng.choice(ETHNIC),
            id_number,
            f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            f"G{household % 4 + 1}",
            compound,
            building,
            unit,
            door,
            RELATIONS[i % 3],
            rng.choice(["户籍", "户籍", "常住", "流动"]),
            rng.choice(["群众", "群众", "中共党员", "共青团员"]),
            rng.choice(TAGS),
            "",
        ])  # fmt: skip
    return write_xlsx(headers, data)


def _prepare_community(slug: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import StaffProfile
    from community.models import Grid
    from governance.services.setup import set_up_community

    community = set_up_community(name=f"基准社区{slug}", slug=slug)
    for n in range(1, 5):
        Grid.objects.create(community=community, code=f"G{n}", name=f"第{n}网格")
    user = get_user_model().objects.create_user(username=f"bench-{slug}", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.SECRETARY))
    StaffProfile.objects.create(user=user, community=community)
    return community, get_user_model().objects.get(pk=user.pk)


def run_variant(variant: str, file: Path, database_url: str | None) -> dict:
    """In a child process: import the file once, return the figures."""
    _setup_django(database_url)
    from community.models import Resident
    from community.resources import error_lines
    from community.services import import_resident_ledger

    community, user = _prepare_community(f"{variant}-{os.getpid()}")
    data = file.read_bytes()
    start = time.perf_counter()
    result = import_resident_ledger(
        user=user, community=community, data=data, fast=(variant == "fast")
    )
    seconds = time.perf_counter() - start
    errors = error_lines(result)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "variant": variant,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "imported": Resident.objects.filter(community=community).count(),
        "errors": errors[:5],
    }


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--variant", choices=["fast", "default"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")

    if args.variant:  # child process
        print(json.dumps(run_variant(args.variant, args.file, database_url)))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    try:
        template = workdir / "template.sqlite3"
        # Migrate the SQLite template, or the given database (idempotent).
        env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{template}"}
        env.setdefault("DEBUG", "1")
        env.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-key")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        _setup_django(database_url or f"sqlite:///{template}")
        file = workdir / "ledger.xlsx"
        file.write_bytes(generate(args.rows))
        figures = {}
        for variant in ["fast", "default"]:
            env = dict(os.environ)
            if not database_url:
                db = workdir / f"{variant}.sqlite3"
                shutil.copy(template, db)
                env["DATABASE_URL"] = f"sqlite:///{db}"
            out = subprocess.run(
                [sys.executable, __file__, "--variant", variant, "--file", str(file)],
                cwd=BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            figures[variant] = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    from django.db import connection

    fast, default = figures["fast"], figures["default"]
    speedup = default["seconds"] / fast["seconds"]
    ok = (
        speedup >= MIN_SPEEDUP
        and fast["peak_rss_mb"] <= MAX_PEAK_MB
        and fast["imported"] == default["imported"] == args.rows
    )
    print(f"date:     {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine:  {_machine()}")
    print(f"database: {connection.vendor}; Python {platform.python_version()}")
    print(f"file:     {args.rows} residents (generated XLSX)")
    for f in (fast, default):
        print(
            f"{f['variant']:8}  {f['seconds']:8.2f} s  peak RSS {f['peak_rss_mb']:6.1f} MB  "
            f"imported {f['imported']}  errors {f['errors']}"
        )
    print(f"speed-up: {speedup:.1f}x (goal >= {MIN_SPEEDUP}x); fast peak <= {MAX_PEAK_MB} MB")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
