"""The demo community, built from the readable spec under fixtures/ (idempotent).

fixtures/demo.toml holds the community and the demo logins; fixtures/demo/places.toml the grids,
compounds and buildings; fixtures/demo/names.toml the name pools; fixtures/demo/2024.toml the
year 2024 as records. Everything random comes from one seeded random.Random, so two loads into
empty databases give the same people and records.

The first load builds the places, 1,200 households and 3,000 fictional residents (bulk_create:
the encrypted fields are encrypted by their get_prep_value, the blind indexes and masked copies
are set by the models' own set_id_number/set_phone), the 2024 records, and then lets the scoring
engine compute, review, lock and assess 2024. A later load finds the residents and only makes
sure the demo logins exist and work.
"""

import datetime as dt
import io
import random
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import StaffProfile
from community.models import (
    Building,
    CareTag,
    Community,
    Compound,
    Grid,
    GridMember,
    Household,
    PartyMember,
    Resident,
    ResidentTag,
    Unit,
    Visit,
    VolunteerService,
)
from community.services import ensure_care_tags
from community.validators import id_number_check_character
from governance.services.setup import set_up_community
from governance.services.stars import ensure_stars
from privacy import audit

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_SPEC = FIXTURES / "demo.toml"
DEMO_DIR = FIXTURES / "demo"
# People named in the seed article: the demo never uses their names.
REAL_PEOPLE = {"张学福", "海金花", "高红伟", "史花花", "商凯旋", "李青松"}


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    printed: bool = True


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


# Not audited (privacy.audit.suppressed): the demo is fictional data that a command with no
# user and no address writes in one go, tens of thousands of rows that fixtures/ re-creates
# identically. Auditing it would bury the first real actions under rows "created by nobody";
# the trail starts with the people who use the portal (their logins are audited as usual).
@audit.suppressed()
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
        _build_places(community, spec["places"])
    logins = _ensure_users(community, spec.get("users", []))
    if "places" in spec and not Resident.objects.filter(community=community).exists():
        builder = _Builder(community, spec)
        builder.build()
        created = True
    return DemoResult(community=community, created=created, logins=logins)


# --- accounts ----------------------------------------------------------------------------------


def _ensure_users(community: Community, users: list[dict]) -> list[DemoLogin]:
    User = get_user_model()
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s["username"] for s in users])
    }
    hashes: dict[str, str] = {}
    groups = {g.name: g for g in Group.objects.filter(name__in={s["role"] for s in users})}
    grids = {g.code: g for g in Grid.objects.filter(community=community)}
    stars = {s.code: s for s in community.stars.all()}
    logins = []
    for spec in users:
        user = existing.get(spec["username"])
        if user is None:
            if spec["password"] not in hashes:  # hash once: PBKDF2 is slow on purpose
                hashes[spec["password"]] = make_password(spec["password"])
            user = User.objects.create(
                username=spec["username"],
                first_name=spec.get("first_name", ""),
                is_staff=True,
                password=hashes[spec["password"]],
            )
        elif spec.get("print") and not (
            user.is_active and user.is_staff and user.check_password(spec["password"])
        ):
            # The printed demo logins must always work.
            user.set_password(spec["password"])
            user.is_staff = user.is_active = True
            user.save(update_fields=["password", "is_staff", "is_active"])
        user.groups.add(groups[spec["role"]])
        profile, _ = StaffProfile.objects.get_or_create(
            user=user, defaults={"community": None if spec.get("viewer") else community}
        )
        if spec.get("viewer"):
            profile.viewable_communities.add(community)
        if spec.get("grid") and spec["grid"] in grids:
            GridMember.objects.get_or_create(grid=grids[spec["grid"]], user=user)
        if spec.get("star") and spec["star"] in stars:
            from governance.models import StarMember

            StarMember.objects.get_or_create(
                star=stars[spec["star"]],
                user=user,
                defaults={"role": spec.get("star_role", "member"), "since": dt.date(2024, 1, 1)},
            )
        logins.append(
            DemoLogin(
                username=user.username,
                password=spec["password"],
                role=spec["role"],
                printed=bool(spec.get("print", False)),
            )
        )
    return logins


# --- places --------------------------------------------------------------------------------------


def _build_places(community: Community, places: dict) -> None:
    if Grid.objects.filter(community=community).exists():
        return
    Grid.objects.bulk_create(
        Grid(
            community=community,
            code=g["code"],
            name=g["name"],
            police_officer=g.get("police_officer", ""),
        )
        for g in places["grids"]
    )
    grids = {g.code: g for g in Grid.objects.filter(community=community)}
    compounds = Compound.objects.bulk_create(
        Compound(community=community, name=c["name"]) for c in places["compounds"]
    )
    buildings = []
    for compound, spec in zip(compounds, places["compounds"], strict=True):
        count = spec["buildings"]
        for number in range(1, count + 1):
            grid_code = spec["grids"][(number - 1) * len(spec["grids"]) // count]
            bungalows = spec["kind"] == "bungalows"
            buildings.append(
                Building(
                    community=community,
                    compound=compound,
                    grid=grids[grid_code],
                    number=f"{number}排" if bungalows else f"{number}号楼",
                    kind=Building.Kind.BUNGALOWS if bungalows else Building.Kind.FLATS,
                )
            )
    Building.objects.bulk_create(buildings)
    buildings = list(Building.objects.filter(community=community).select_related("compound"))
    by_compound = {c["name"]: c for c in places["compounds"]}
    Unit.objects.bulk_create(
        Unit(building=b, number=f"{u}单元")
        for b in buildings
        if b.kind == Building.Kind.FLATS
        for u in range(1, by_compound[b.compound.name]["units"] + 1)
    )
    units: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(building__community=community).order_by("building_id", "id"):
        units.setdefault(unit.building_id, []).append(unit)
    households = []
    for b in buildings:
        spec = by_compound[b.compound.name]
        if b.kind == Building.Kind.BUNGALOWS:
            households += [
                Household(community=community, building=b, door_number=f"{d}号")
                for d in range(1, spec["doors"] + 1)
            ]
            continue
        for unit in units[b.id]:
            for floor in range(1, spec["floors"] + 1):
                for door in range(1, spec["doors"] + 1):
                    households.append(
                        Household(
                            community=community,
                            building=b,
                            unit=unit,
                            door_number=f"{floor}{door:02d}",
                        )
                    )
    Household.objects.bulk_create(households, batch_size=500)


# --- generated pictures ------------------------------------------------------------------------

PALETTE = [(200, 40, 40), (230, 160, 30), (40, 120, 190), (60, 150, 90), (150, 70, 160)]


def demo_photo(rng: random.Random, *, index: int) -> ContentFile:
    """A generated picture (coloured shapes): stands in for a real activity photo."""
    image = Image.new("RGB", (640, 420), (245, 240, 230))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randrange(0, 600), rng.randrange(0, 380)
        w, h = rng.randrange(30, 200), rng.randrange(30, 160)
        draw.ellipse((x, y, x + w, y + h), fill=rng.choice(PALETTE))
    draw.rectangle((0, 370, 640, 420), fill=(180, 20, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{index}.jpg")


# --- people and records -----------------------------------------------------------------------


def _aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _spread(total: int, parts: int) -> list[int]:
    """total split into `parts` near-equal whole numbers that add up exactly."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _month_days(year: int, count: int) -> list[dt.date]:
    """`count` dates spread over the twelve months (as evenly as the count allows)."""
    days = []
    for month, n in enumerate(_spread(count, 12), start=1):
        for i in range(n):
            days.append(dt.date(year, month, min(28, 3 + i * (24 // max(n, 1)) + (month % 3))))
    return days


class _Builder:
    """Builds the people and the year's records; one instance per (first) load."""

    def __init__(self, community: Community, spec: dict):
        self.community = community
        self.places = spec["places"]
        self.names = spec["names"]
        self.year_spec = spec.get("2024", {})
        self.year = self.year_spec.get("year", 2024)
        self.rng = random.Random(self.places["people"]["seed"])
        User = get_user_model()
        self.users = {
            u.username: u for u in User.objects.filter(staff_profile__community=community)
        }
        self.secretary = self.users.get("secretary")
        self.stars = {s.code: s for s in community.stars.all()}
        self.grids = {g.code: g for g in Grid.objects.filter(community=community)}
        self.grid_workers = {
            m.grid_id: m.user
            for m in GridMember.objects.filter(grid__community=community).select_related("user")
        }
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.photo_index = 0

    def _user(self, name: str):
        return self.users.get(name) or self.secretary

    def lead(self, star_code: str):
        return self._user(f"lead_{star_code}")

    # -- names, ID numbers and phones ----------------------------------------------------------

    def han_name(self, gender: str, surname: str | None = None) -> str:
        pool = self.names["han_given_male" if gender == "M" else "han_given_female"]
        while True:
            given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
            name = (surname or self.rng.choice(self.names["han_surnames"])) + given
            if name not in REAL_PEOPLE:
                return name

    def minority_name(self, gender: str, group: str, surname: str | None) -> str:
        if group in ("05", "17"):  # Uyghur, Kazakh: given name · father's name
            pool = self.names["turkic_given_male" if gender == "M" else "turkic_given_female"]
            return f"{self.rng.choice(pool)}·{self.rng.choice(self.names['turkic_fathers'])}"
        return self.han_name(gender, surname)

    def id_number(self, birth: dt.date, gender: str) -> str:
        region = self.places["people"]["id_region"]
        while True:
            sequence = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
            body = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = body + id_number_check_character(body)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def birth(self, age_low: int, age_high: int) -> dt.date:
        age = self.rng.randint(age_low, age_high)
        return dt.date(self.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))

    # -- the build -----------------------------------------------------------------------------

    def build(self) -> None:
        self.build_people()
        if self.year_spec:
            self.build_year()
            self.build_scores()

    def build_people(self) -> None:
        people = self.places["people"]
        households = list(
            Household.objects.filter(community=self.community)
            .order_by("id")
            .select_related("building")
        )
        sizes = [self.rng.choice((1, 2, 2, 3, 3, 3, 4)) for _ in households]
        diff = people["residents"] - sum(sizes)
        while diff:
            i = self.rng.randrange(len(sizes))
            step = 1 if diff > 0 else -1
            if 1 <= sizes[i] + step <= 6:
                sizes[i] += step
                diff -= step
        # Minority households, whole families, until exactly the spec's count.
        groups = [code for code, weight in people["minority_groups"] for _ in range(weight)]
        ethnicity = ["01"] * len(households)
        order = list(range(len(households)))
        self.rng.shuffle(order)
        remaining = people["minority_residents"]
        for i in order:
            if remaining == 0:
                break
            if sizes[i] <= remaining:
                ethnicity[i] = self.rng.choice(groups)
                remaining -= sizes[i]
        residents = []
        for household, size, group in zip(households, sizes, ethnicity, strict=True):
            residents += self.family(household, size, group)
        Resident.objects.bulk_create(residents, batch_size=500)
        # Heads of household and the household's contact phone.
        heads = dict(
            Resident.objects.filter(community=self.community, relation_to_head="户主").values_list(
                "household_id", "id"
            )
        )
        phones = {r.household.id: r.phone for r in residents if r.relation_to_head == "户主"}
        for household in households:
            household.head_id = heads[household.id]
            household.set_contact_phone(phones[household.id])
            household.is_low_income = self.rng.random() < 0.03
        Household.objects.bulk_update(
            households,
            [
                "head",
                "contact_phone",
                "contact_phone_masked",
                "contact_phone_last4",
                "is_low_income",
            ],
            batch_size=500,
        )
        self.households = households
        self.residents = list(
            Resident.objects.filter(community=self.community)
            .defer("id_number", "phone")
            .select_related("household__building")
            .order_by("id")
        )
        self.build_tags()
        self.build_party()

    def family(self, household: Household, size: int, group: str) -> list[Resident]:
        surname = None
        if group in ("03", "26"):
            surname = self.rng.choice(self.names["hui_surnames"])
        elif group == "01":
            surname = self.rng.choice(self.names["han_surnames"])
        members = []
        head_gender = self.rng.choice("MMF")
        head_birth = self.birth(28, 82)
        plan = [("户主", head_gender, head_birth)]
        if size >= 2:
            spouse_birth = dt.date(
                min(self.year - 20, head_birth.year + self.rng.randint(-3, 3)),
                self.rng.randint(1, 12),
                self.rng.randint(1, 28),
            )
            plan.append(("配偶", "F" if head_gender == "M" else "M", spouse_birth))
        for _ in range(size - len(plan)):
            child_year = min(self.year - 1, head_birth.year + self.rng.randint(22, 34))
            plan.append(
                ("子女", self.rng.choice("MF"), dt.date(child_year, self.rng.randint(1, 12), 15))
            )
        for relation, gender, birth in plan:
            if group == "01":
                name = self.han_name(gender, surname if relation != "配偶" else None)
            else:
                name = self.minority_name(gender, group, surname)
            resident = Resident(
                community=self.community,
                household=household,
                name=name,
                gender=gender,
                birth_date=birth,
                ethnicity=group,
                relation_to_head=relation,
                residency_type=self.rng.choice(
                    [Resident.ResidencyType.REGISTERED] * 4 + [Resident.ResidencyType.PERMANENT]
                ),
                moved_in=dt.date(self.rng.randint(1995, 2020), self.rng.randint(1, 12), 1),
            )
            resident.set_id_number(self.id_number(birth, gender))
            if self.year - birth.year >= 16:
                resident.set_phone(self.mobile())
            members.append(resident)
        return members

    def build_tags(self) -> None:
        tags = {t.name: t for t in CareTag.objects.filter(community=self.community)}
        rows = []
        for resident in self.residents:
            age = self.year - resident.birth_date.year
            if age >= 75 and self.rng.random() < 0.35:
                rows.append(
                    ResidentTag(resident=resident, tag=tags["独居老人"], since=dt.date(2023, 1, 1))
                )
            elif age >= 65 and self.rng.random() < 0.15:
                rows.append(
                    ResidentTag(resident=resident, tag=tags["空巢老人"], since=dt.date(2023, 1, 1))
                )
            elif resident.household.is_low_income and resident.relation_to_head == "户主":
                rows.append(
                    ResidentTag(resident=resident, tag=tags["低保"], since=dt.date(2022, 7, 1))
                )
            elif 25 <= age <= 55 and self.rng.random() < 0.01:
                rows.append(
                    ResidentTag(resident=resident, tag=tags["就业困难"], since=dt.date(2024, 1, 1))
                )
        ResidentTag.objects.bulk_create(rows, batch_size=500)

    def build_party(self) -> None:
        people = self.places["people"]
        adults = [r for r in self.residents if 25 <= self.year - r.birth_date.year <= 80]
        chosen = self.rng.sample(adults, people["resident_party_members"])
        members = []
        for resident in chosen:
            members.append(
                PartyMember(
                    community=self.community,
                    kind=PartyMember.Kind.RESIDENT,
                    resident=resident,
                    joined_on=dt.date(self.rng.randint(1975, 2020), self.rng.randint(1, 12), 1),
                    grid_id=resident.household.building.grid_id,
                )
            )
        units = [
            "红星一场机关",
            "红星一场学校",
            "红星一场医院",
            "红星一场供电所",
            "红星一场农业发展服务中心",
        ]
        grids = list(self.grids.values())
        for i in range(people["in_service_party_members"]):
            member = PartyMember(
                community=self.community,
                kind=PartyMember.Kind.IN_SERVICE,
                name=self.han_name(self.rng.choice("MF")),
                joined_on=dt.date(self.rng.randint(1995, 2021), self.rng.randint(1, 12), 1),
                work_unit=units[i % len(units)],
                home_branch=f"{units[i % len(units)]}党支部",
                dual_registered_on=dt.date(self.year, 1 + i % 4, 10 + i % 15),
                grid=grids[i % len(grids)],
                skills=self.rng.choice(["法律咨询", "医疗义诊", "家电维修", "政策宣讲", "文艺"]),
            )
            member.set_phone(self.mobile())
            members.append(member)
        self.party_members = PartyMember.objects.bulk_create(members)
        self.party_members = list(
            PartyMember.objects.filter(community=self.community).order_by("id")
        )

    # -- 2024 -----------------------------------------------------------------------------------

    def build_year(self) -> None:
        from governance.models import Notice

        self.build_ledger()
        self.build_weekly_tasks()
        self.build_requests()
        self.build_disputes()
        self.build_visits()
        self.build_welfare()
        self.build_unity()
        self.build_project()
        spec = self.year_spec
        Notice.objects.bulk_create(
            Notice(
                community=self.community,
                title=n["title"],
                category=n["category"],
                body=f"{n['title']}。\n\n详情请咨询社区服务站。",
                status=Notice.Status.PUBLISHED,
                publish_at=_aware(n["date"]),
                created_by=self.secretary,
            )
            for n in spec.get("notices", [])
        )

    def build_ledger(self) -> None:
        from governance.models import WorkLog, WorkLogPhoto
        from privacy.images import clean_photo, make_thumbnail

        entries, entry_stars, photo_flags = [], [], []
        for block in self.year_spec.get("ledger", []):
            count = block["count"]
            days = _month_days(self.year, count)
            titles = block.get("titles") or [block["title"]]
            figures = {
                name: _spread(block.get(name, 0), count)
                for name in ("participants", "households_reached", "brochures", "online_posts")
            }
            if block.get("households_reached"):
                # The policy visits of each month match the month's entry (see build_visits).
                self.policy_visits = list(zip(days, figures["households_reached"], strict=True))
            photos = block.get("photos", 0)
            for i, day in enumerate(days):
                entries.append(
                    WorkLog(
                        community=self.community,
                        date=day,
                        kind=block["kind"],
                        title=titles[i % len(titles)],
                        description=f"{titles[i % len(titles)]}({day:%m月%d日})",
                        place=self.rng.choice(
                            ["社区党群服务中心", "康乐小区广场", "星光花苑二期", "社区活动室"]
                        ),
                        participants=figures["participants"][i],
                        households_reached=figures["households_reached"][i],
                        brochures=figures["brochures"][i],
                        online_posts=figures["online_posts"][i],
                        is_public=i < photos,
                        author=self.lead(block["stars"][0]),
                    )
                )
                entry_stars.append(block["stars"])
                photo_flags.append(i < photos)
        WorkLog.objects.bulk_create(entries, batch_size=500)
        Link = WorkLog.stars.through
        Link.objects.bulk_create(
            [
                Link(worklog_id=entry.id, star_id=self.stars[code].id)
                for entry, codes in zip(entries, entry_stars, strict=True)
                for code in codes
            ],
            batch_size=1000,
        )
        for entry, with_photo in zip(entries, photo_flags, strict=True):
            if not with_photo:
                continue
            self.photo_index += 1
            content = clean_photo(demo_photo(self.rng, index=self.photo_index))
            photo = WorkLogPhoto(worklog=entry, alt_text=entry.title)
            photo.image.save(content.name, content, save=False)
            thumb = make_thumbnail(content)
            photo.thumbnail.save(thumb.name, thumb, save=False)
            photo.save()

    def build_weekly_tasks(self) -> None:
        from governance.models import WeeklyTask

        late = {(code, week) for code, week in self.year_spec.get("weekly", {}).get("late", [])}
        monday = dt.date.fromisocalendar(self.year, 1, 1)
        tasks = []
        week = 1
        while monday.year <= self.year and week <= 52:
            for code, star in self.stars.items():
                due = monday + dt.timedelta(days=4)
                closed = due + dt.timedelta(days=3) if (code, week) in late else due
                tasks.append(
                    WeeklyTask(
                        community=self.community,
                        star=star,
                        week_start=monday,
                        title=f"{star.name}第{week}周工作",
                        owner=self.lead(code),
                        due_date=due,
                        status=WeeklyTask.Status.DONE,
                        outcome="已完成",
                        closed_on=closed,
                        created_by=self.secretary,
                    )
                )
            monday += dt.timedelta(days=7)
            week += 1
        WeeklyTask.objects.bulk_create(tasks, batch_size=500)

    def build_requests(self) -> None:
        from governance import deadlines
        from governance.models import (
            ReferenceCounter,
            RequestCategory,
            RequestEvent,
            ServiceRequest,
        )
        from governance.services.requests import phone_index

        spec = self.year_spec["requests"]
        categories = {c.name: c for c in RequestCategory.objects.all()}
        pool = [
            categories[name]
            for name, weight in spec["categories"]
            if name in categories
            for _ in range(weight)
        ]
        Status, Kind = ServiceRequest.Status, RequestEvent.Kind
        plan = (
            ["resolved"] * spec["resolved_in_year"]
            + ["rejected"] * spec["rejected"]
            + ["merged"] * spec["merged"]
        )
        self.rng.shuffle(plan)
        plan += ["next_year"] * spec["resolved_next_year"]
        late = set(self.rng.sample(range(spec["resolved_in_year"]), spec["late"]))
        unsatisfied = set(self.rng.sample(range(spec["resolved_in_year"]), spec["unsatisfied"]))
        submitted_days = sorted(
            dt.date(self.year, 1, 2) + dt.timedelta(days=self.rng.randrange(0, 330))
            for _ in plan[: -spec["resolved_next_year"] or None]
        ) + [dt.date(self.year, 12, 27 + i) for i in range(spec["resolved_next_year"])]
        requests, histories = [], []
        resolved_index = 0
        first_of_kind: dict[str, ServiceRequest] = {}
        for number, (outcome, day) in enumerate(zip(plan, submitted_days, strict=True), start=1):
            category = pool[self.rng.randrange(len(pool))]
            household = self.rng.choice(self.households)
            building = household.building
            submitted = _aware(day, self.rng.randint(8, 18), self.rng.randint(0, 59))
            due = deadlines.due_after(submitted, category.deadline_class)
            phone = self.mobile()
            star = self.stars.get(category.star_code)
            grid_id = building.grid_id
            worker = self.grid_workers.get(grid_id) or self.secretary
            request = ServiceRequest(
                community=self.community,
                reference=f"HX-{self.year}-{number:05d}",
                category=category,
                description=f"{category.name}:{building}{household.door_number}附近,请社区协调处理。",
                compound_id=building.compound_id,
                building=building,
                unit_id=household.unit_id,
                grid_id=grid_id,
                star=star,
                requester_name=self.han_name(self.rng.choice("MF"))[:1] + "先生",
                phone=phone,
                phone_last4=phone[-4:],
                phone_index=phone_index(phone),
                channel=self.rng.choice(list(ServiceRequest.Channel.values)),
                consent_at=submitted,
                submitted_at=submitted,
                due_at=due,
                original_due_at=due,
                created_by=worker,
            )
            events = [(Kind.SUBMITTED, "", Status.SUBMITTED, submitted, None)]
            accepted = submitted + dt.timedelta(minutes=self.rng.randint(5, 50))
            if outcome == "rejected":
                request.status = Status.REJECTED
                request.reject_reason = "不属于社区受理范围,已告知居民向相关部门反映。"
                events.append((Kind.REJECTED, Status.SUBMITTED, Status.REJECTED, accepted, worker))
            elif outcome == "merged":
                request.status = Status.MERGED
                request.duplicate_of = first_of_kind.get(category.name)
                events.append((Kind.MERGED, Status.SUBMITTED, Status.MERGED, accepted, worker))
            else:
                is_late = outcome == "resolved" and resolved_index in late
                total = due - accepted
                if is_late:
                    resolved = due + dt.timedelta(hours=self.rng.randint(2, 30))
                elif outcome == "next_year":
                    resolved = _aware(dt.date(self.year + 1, 1, 3 + len(requests) % 3), 16)
                else:
                    resolved = accepted + total * self.rng.uniform(0.2, 0.85)
                assigned = accepted + (resolved - accepted) * 0.1
                started = accepted + (resolved - accepted) * 0.3
                followed = resolved + dt.timedelta(days=1)
                rated = followed + dt.timedelta(hours=2)
                closed = rated + dt.timedelta(hours=1)
                unhappy = outcome == "resolved" and resolved_index in unsatisfied
                request.status = Status.CLOSED
                request.accepted_at = accepted
                request.assigned_at = assigned
                request.started_at = started
                request.resolved_at = resolved
                request.followed_up_at = followed
                request.closed_at = closed
                request.assignee = worker
                request.resolution_note = "已协调相关部门处理完毕,居民确认。"
                request.rated_solved = not unhappy
                request.satisfaction = (
                    ServiceRequest.Satisfaction.UNSATISFIED
                    if unhappy
                    else self.rng.choice(
                        [ServiceRequest.Satisfaction.SATISFIED] * 4
                        + [ServiceRequest.Satisfaction.BASICALLY]
                    )
                )
                request.rated_at = rated
                events += [
                    (Kind.ACCEPTED, Status.SUBMITTED, Status.ACCEPTED, accepted, worker),
                    (Kind.ASSIGNED, Status.ACCEPTED, Status.ASSIGNED, assigned, self.secretary),
                    (Kind.STARTED, Status.ASSIGNED, Status.IN_PROGRESS, started, worker),
                    (Kind.RESOLVED, Status.IN_PROGRESS, Status.RESOLVED, resolved, worker),
                    (Kind.FOLLOWED_UP, Status.RESOLVED, Status.FOLLOWED_UP, followed, worker),
                    (Kind.RATED, "", "", rated, None),
                    (Kind.CLOSED, Status.FOLLOWED_UP, Status.CLOSED, closed, worker),
                ]
                if outcome == "resolved":
                    resolved_index += 1
                    first_of_kind.setdefault(category.name, request)
            requests.append(request)
            histories.append(events)
        # Duplicates point at an earlier request: save those first.
        ServiceRequest.objects.bulk_create([r for r in requests if r.status != Status.MERGED])
        ServiceRequest.objects.bulk_create([r for r in requests if r.status == Status.MERGED])
        RequestEvent.objects.bulk_create(
            [
                RequestEvent(
                    request=request,
                    kind=kind,
                    from_status=from_status,
                    to_status=to_status,
                    actor=actor,
                    at=at,
                )
                for request, events in zip(requests, histories, strict=True)
                for kind, from_status, to_status, at, actor in events
            ],
            batch_size=1000,
        )
        ReferenceCounter.objects.update_or_create(
            community=self.community, year=self.year, defaults={"last": len(requests)}
        )

    def build_disputes(self) -> None:
        from governance.models import Dispute, DisputeParty, LegalConsultation, MediationSession

        mediator = self.lead("safety")
        for i, spec in enumerate(self.year_spec.get("disputes", [])):
            found = dt.date(self.year, 2 + i * 10 // max(len(self.year_spec["disputes"]), 1), 3)
            household = self.rng.choice(self.households)
            dispute = Dispute.objects.create(
                community=self.community,
                grid_id=household.building.grid_id,
                star=self.stars["safety"],
                title=spec["title"],
                description=f"{spec['title']},网格员排查发现后报社区调解。",
                kind=spec["kind"],
                source=Dispute.Source.PATROL,
                risk_level=spec.get("risk", "yellow"),
                is_major=spec.get("major", False),
                mediator=mediator,
                found_on=found,
                mediation_accepted_on=found + dt.timedelta(days=1),
                status=Dispute.Status.CLOSED,
                outcome=Dispute.Outcome.RESOLVED,
                closed_on=found + dt.timedelta(days=12),
                agreement_signed=True,
                agreement_fulfilled=True,
                agreement="双方自愿达成调解协议并已履行。",
                created_at=_aware(found),
            )
            parties = [r for r in self.residents if r.household_id == household.id][:1]
            other = self.rng.choice(self.residents)
            DisputeParty.objects.bulk_create(
                [
                    DisputeParty(dispute=dispute, resident=parties[0], role="applicant"),
                    DisputeParty(dispute=dispute, resident=other, role="respondent"),
                ]
            )
            MediationSession.objects.bulk_create(
                [
                    MediationSession(
                        dispute=dispute,
                        held_on=found + dt.timedelta(days=d),
                        place="社区人民调解室",
                        mediators="社区调解员、网格员、社区民警",
                        summary=summary,
                        result=result,
                    )
                    for d, summary, result in [
                        (2, "听取双方陈述,释法明理。", MediationSession.Result.CONTINUE),
                        (9, "双方达成调解协议。", MediationSession.Result.AGREEMENT),
                    ]
                ]
            )
        LegalConsultation.objects.bulk_create(
            LegalConsultation(
                community=self.community,
                grid=self.grids.get("G1"),
                star=self.stars["safety"],
                consulted_on=dt.date(self.year, 3 + 4 * i, 12),
                topic=spec["topic"],
                resident=self.rng.choice(self.residents),
                question=spec["question"],
                advice="已由社区法律顾问解答,并告知维权途径。",
                adviser="社区法律顾问",
            )
            for i, spec in enumerate(self.year_spec.get("consultations", []))
        )

    def build_visits(self) -> None:
        """Policy visits matching the ledger's monthly campaigns, plus care visits."""
        visits = []
        households = self.households
        cursor = self.rng.randrange(len(households))
        for day, count in getattr(self, "policy_visits", []):
            for i in range(count):
                household = households[cursor % len(households)]
                cursor += 7
                visits.append(
                    Visit(
                        community=self.community,
                        household=household,
                        visitor=self.grid_workers.get(household.building.grid_id),
                        visited_on=day.replace(day=min(28, 1 + i % 28)),
                        purpose=Visit.Purpose.POLICY,
                        findings="宣传医保、养老政策,发放宣传册。",
                    )
                )
        tagged = sorted(
            set(
                ResidentTag.objects.filter(resident__community=self.community).values_list(
                    "resident__household_id", flat=True
                )
            )
        )
        by_id = {h.id: h for h in households}
        for month in range(1, 13):
            for household_id in tagged:
                household = by_id[household_id]
                visits.append(
                    Visit(
                        community=self.community,
                        household=household,
                        visitor=self.grid_workers.get(household.building.grid_id),
                        visited_on=dt.date(self.year, month, 5 + household_id % 20),
                        purpose=Visit.Purpose.CARE,
                        findings="身体状况良好,生活用品充足。",
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=1000)
        # Volunteer hours of the in-service party members (双报到 service).
        in_service = [m for m in self.party_members if m.kind == PartyMember.Kind.IN_SERVICE]
        VolunteerService.objects.bulk_create(
            VolunteerService(
                community=self.community,
                party_member=member,
                activity=self.rng.choice(["爱心帮扶", "普法宣传", "卫生整治"]),
                served_on=dt.date(self.year, 1 + (i * 5 + q) % 12, 18),
                hours=Decimal("2.0"),
                verified_by=self.secretary,
            )
            for i, member in enumerate(in_service)
            for q in range(4)
        )

    def _working_age(self, count: int, exclude: set[int]) -> list[Resident]:
        candidates = [
            r
            for r in self.residents
            if 20 <= self.year - r.birth_date.year <= 50 and r.id not in exclude
        ]
        return self.rng.sample(candidates, count)

    def build_welfare(self) -> None:
        from governance.models import Enrollment, JobPlacement, Relief, TrainingCourse

        taken: set[int] = set()
        for i, spec in enumerate(self.year_spec.get("courses", [])):
            course = TrainingCourse.objects.create(
                community=self.community,
                title=spec["title"],
                provider=spec.get("provider", ""),
                hours=40,
                starts_on=dt.date(self.year + 1, 3, 1 + i * 7),
                capacity=spec["registrations"] + 5,
                registration_open=False,
            )
            people = self._working_age(spec["registrations"], taken)
            taken |= {r.id for r in people}
            Enrollment.objects.bulk_create(
                Enrollment(
                    course=course,
                    resident=resident,
                    registered_on=dt.date(self.year, 10 + j % 3, 1 + j % 28),
                )
                for j, resident in enumerate(people)
            )
        placed = self._working_age(len(self.year_spec.get("placements", [])), taken)
        JobPlacement.objects.bulk_create(
            JobPlacement(
                community=self.community,
                resident=resident,
                employer=spec["employer"],
                position=spec.get("position", ""),
                placed_on=dt.date(self.year, 4 + 3 * i, 16),
            )
            for i, (spec, resident) in enumerate(
                zip(self.year_spec["placements"], placed, strict=True)
            )
        )
        poor = [h for h in self.households if h.is_low_income][:4]
        Relief.objects.bulk_create(
            Relief(
                community=self.community,
                household=household,
                kind=Relief.Kind.LIVING,
                amount=Decimal("1500.00"),
                reason="家庭临时生活困难。",
                applied_on=dt.date(self.year, 2 + 3 * i, 6),
                status=Relief.Status.PAID,
                decided_by=self.secretary,
                decided_at=_aware(dt.date(self.year, 2 + 3 * i, 9)),
                paid_on=dt.date(self.year, 2 + 3 * i, 12),
            )
            for i, household in enumerate(poor)
        )

    def build_unity(self) -> None:
        from governance.models import HonourCampaign, Nomination, Pairing, PairingContact

        spec = self.year_spec.get("unity", {})
        minority_ids = set(
            Resident.objects.filter(community=self.community, relation_to_head="户主")
            .exclude(ethnicity__in=["", "01"])
            .values_list("household_id", flat=True)
        )
        helped = [h for h in self.households if h.id in minority_ids][: spec.get("pairings", 0)]
        helpers = [m for m in self.party_members if m.kind == PartyMember.Kind.RESIDENT]
        pairings = Pairing.objects.bulk_create(
            Pairing(
                community=self.community,
                helper_kind=Pairing.HelperKind.PARTY_MEMBER,
                helper_party_member=helpers[i % len(helpers)],
                helped_household=household,
                started_on=dt.date(self.year - 1, 9, 1),
                goals="就业、子女上学和生活困难帮扶。",
            )
            for i, household in enumerate(helped)
        )
        PairingContact.objects.bulk_create(
            (
                PairingContact(
                    pairing=pairing,
                    contacted_on=dt.date(self.year, month, 8 + i % 15),
                    kind=self.rng.choice(list(PairingContact.Kind.values)),
                    help_given="走访慰问,了解生活和就业需求。",
                    recorded_by=self.lead("unity"),
                )
                for i, pairing in enumerate(pairings)
                for month in range(1, 13)
            ),
            batch_size=1000,
        )
        honours = spec.get("honours")
        if not honours:
            return
        campaign = HonourCampaign.objects.create(
            community=self.community,
            year=self.year,
            title=f"{self.year}年民族团结进步创建评选",
            stage=HonourCampaign.Stage.CLOSED,
            notice_starts_on=dt.date(self.year, 10, 8),
            notice_ends_on=dt.date(self.year, 10, 14),
            closed_at=_aware(dt.date(self.year, 10, 15)),
        )
        runners = spec.get("runners_up", {})
        flats = sorted({h.building for h in self.households}, key=lambda b: b.id)
        unit_ids = sorted({h.unit_id for h in self.households if h.unit_id})
        picks = {
            "family": self.rng.sample(
                self.households, honours["family"] + runners.get("family", 0)
            ),
            "neighbour": self.rng.sample(
                self.residents, honours["neighbour"] + runners.get("neighbour", 0)
            ),
            "building": self.rng.sample(flats, honours["building"] + runners.get("building", 0)),
            "unit": self.rng.sample(unit_ids, honours["unit"] + runners.get("unit", 0)),
        }
        rows = []
        for kind, chosen in picks.items():
            for i, nominee in enumerate(chosen):
                winner = i < honours[kind]
                row = Nomination(
                    campaign=campaign,
                    kind=kind,
                    citation="邻里和睦、热心公益,积极参与民族团结活动。",
                    nominated_by="网格推荐",
                    status=Nomination.Status.WINNER if winner else Nomination.Status.REJECTED,
                    reviewed_by=self.secretary,
                    reviewed_at=_aware(dt.date(self.year, 10, 15)),
                )
                if kind == "family":
                    row.household = nominee
                elif kind == "neighbour":
                    row.resident = nominee
                elif kind == "building":
                    row.building = nominee
                else:
                    row.unit_id = nominee
                rows.append(row)
        Nomination.objects.bulk_create(rows)

    def build_project(self) -> None:
        from governance.models import (
            BudgetLine,
            Contract,
            Council,
            CouncilMeeting,
            CouncilMember,
            Milestone,
            Motion,
            Payment,
            Project,
        )

        spec = self.year_spec.get("project")
        if not spec:
            return
        compound = Compound.objects.get(community=self.community, name=spec["compound"])
        total = sum(amount for _, amount in spec["lines"])
        project = Project.objects.create(
            community=self.community,
            name=spec["name"],
            summary=spec["summary"],
            compound=compound,
            budget=Decimal(total),
            status=Project.Status.COMPLETED,
            started_on=spec["started_on"],
            finished_on=spec["finished_on"],
        )
        lines = BudgetLine.objects.bulk_create(
            BudgetLine(project=project, title=title, amount=Decimal(amount), order=i)
            for i, (title, amount) in enumerate(spec["lines"])
        )
        contracts = Contract.objects.bulk_create(
            Contract(
                project=project,
                budget_line=line,
                contractor=f"新星市{line.title[:2]}工程有限公司",
                title=line.title,
                amount=line.amount,
                signed_on=dt.date(2022, 5 + i, 10),
            )
            for i, line in enumerate(lines)
        )
        payments = []
        share = Decimal(str(spec["paid_share"]))
        for contract in contracts:
            paid = (contract.amount * share).quantize(Decimal("0.01"))
            parts = [Decimal("0.3"), Decimal("0.4")]
            amounts = [(paid * p).quantize(Decimal("0.01")) for p in parts]
            amounts.append(paid - sum(amounts))
            for day, amount in zip(
                [dt.date(2022, 9, 20), dt.date(2023, 8, 25), dt.date(2024, 7, 18)],
                amounts,
                strict=True,
            ):
                payments.append(
                    Payment(
                        contract=contract,
                        amount=amount,
                        paid_on=day,
                        note="按进度拨付",
                        recorded_by=self.lead("cobuild"),
                    )
                )
        Payment.objects.bulk_create(payments)
        Milestone.objects.bulk_create(
            Milestone(
                project=project,
                title=f"{line.title}完工",
                due_on=dt.date(2023 + i // 3, 10, 30),
                done_on=dt.date(2023 + i // 3, 10, 20) if i < 5 else spec["finished_on"],
                progress=100,
                order=i,
            )
            for i, line in enumerate(lines)
        )
        council = Council.objects.create(
            community=self.community, name="康乐小区居民议事会", established_on=dt.date(2022, 3, 1)
        )
        local = [r for r in self.residents if r.household.building.compound_id == compound.id]
        local = [r for r in local if self.year - r.birth_date.year >= 30]
        chosen = self.rng.sample(local, spec["council_members"])
        members = CouncilMember.objects.bulk_create(
            CouncilMember(
                council=council,
                resident=resident,
                role=CouncilMember.Role.CHAIR if i == 0 else CouncilMember.Role.MEMBER,
                joined_on=dt.date(2022, 3, 1),
            )
            for i, resident in enumerate(chosen)
        )
        agendas = [
            "改造方案征求意见",
            "给排水、燃气改造方案比选",
            "外墙保温材料选购",
            "道路硬化与路灯位置",
            "施工质量监督员推选",
            "广场与健身器材选型",
            "竣工验收与“问题清单”销号",
            "改造后设施管护公约",
        ]
        for i, day in enumerate(spec["council_meetings"]):
            meeting = CouncilMeeting.objects.create(
                council=council,
                held_on=day,
                place="康乐小区议事点",
                agenda=agendas[i % len(agendas)],
                minutes=f"议题:{agendas[i % len(agendas)]}。与会居民充分讨论,形成一致意见。",
                members_total=len(members),
                attendance_recorded_at=_aware(day, 11),
            )
            meeting.attendees.set(members[: len(members) - i % 3])
            Motion.objects.create(
                council=council,
                project=project,
                meeting=meeting,
                title=agendas[i % len(agendas)],
                description=f"关于{agendas[i % len(agendas)]}的议题。",
                proposer=members[0],
                proposed_on=day - dt.timedelta(days=7),
                status=Motion.Status.PASSED,
                decided_at=_aware(day, 11),
                votes_for=len(members) - i % 3 - 1,
                votes_against=0,
                votes_abstain=1,
                members_total=len(members),
                execution=Motion.Execution.DONE,
                notice_starts_on=day + dt.timedelta(days=1),
                notice_ends_on=day + dt.timedelta(days=6),
                executed_on=day + dt.timedelta(days=30),
            )

    # -- scores ------------------------------------------------------------------------------

    def build_scores(self) -> None:
        """Let the scoring engine compute, the secretary review and lock, and assess 2024."""
        from governance.models import Indicator
        from governance.services import scoring

        spec = self.year_spec.get("scoring", {})
        scoring.ensure_default_indicators(community=self.community)
        for code, name, target in spec.get("targets", []):
            Indicator.objects.filter(community=self.community, star__code=code, name=name).update(
                monthly_target=Decimal(target)
            )
        low, high = spec.get("review", [85, 95])
        default_c = Decimal(spec.get("satisfaction_default", 90))
        today = dt.date(self.year + 1, 1, 10)
        for month in range(1, 13):
            first = dt.date(self.year, month, 1)
            scores = scoring.compute_month(community=self.community, month=first, today=today)
            for score in scores:
                suggested, _satisfied, _rated = scoring.suggested_satisfaction(
                    community=self.community, star=score.star, month=first
                )
                scoring.review_score(
                    score=score,
                    actor=self.secretary,
                    review=Decimal(self.rng.randint(low, high)),
                    satisfaction=suggested if suggested is not None else default_c,
                    comment=f"{first:%Y年%m月}工作按计划推进。",
                )
            scoring.lock_month(community=self.community, month=first, actor=self.secretary)
        for quarter in range(1, 5):
            scoring.assess_quarter(
                community=self.community, year=self.year, quarter=quarter, actor=self.secretary
            )
