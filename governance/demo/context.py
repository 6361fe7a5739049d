"""What every part of the demo shares: the community, the spec, one seeded generator, the
staff who act, and the small helpers that make fictional names, numbers and pictures.

Everything random comes from the one seeded random.Random, drawn in a fixed order, so two
loads into empty databases give the same people and records.
"""

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from community.models import Community, Grid, GridMember
from community.validators import id_number_check_character, is_allocated_mobile

# People named in the 2024 news report on 红星社区: the demo never uses their names.
REAL_PEOPLE = {"张学福", "海金花", "高红伟", "史花花", "商凯旋", "李青松"}
PALETTE = [(200, 40, 40), (230, 160, 30), (40, 120, 190), (60, 150, 90), (150, 70, 160)]


def aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def spread(total: int, parts: int) -> list[int]:
    """total split into `parts` near-equal whole numbers that add up exactly."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def month_days(year: int, count: int) -> list[dt.date]:
    """`count` dates spread over the twelve months (as evenly as the count allows)."""
    days = []
    for month, n in enumerate(spread(count, 12), start=1):
        for i in range(n):
            days.append(dt.date(year, month, min(28, 3 + i * (24 // max(n, 1)) + (month % 3))))
    return days


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


class Demo:
    """The state one (first) load builds up: filled in as the people and records are made."""

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
        # Filled in by the people (households, residents, party members) and the ledger.
        self.households: list = []
        self.residents: list = []
        self.party_members: list = []
        self.policy_visits: list[tuple[dt.date, int]] = []

    def user(self, name: str):
        """A demo login by username; the secretary stands in for one the spec lacks."""
        return self.users.get(name) or self.secretary

    def lead(self, star_code: str):
        return self.user(f"lead_{star_code}")

    def worker_of(self, grid_id):
        """The grid worker of a grid (the secretary where the grid has none)."""
        return self.grid_workers.get(grid_id) or self.secretary

    def next_photo(self) -> ContentFile:
        self.photo_index += 1
        return demo_photo(self.rng, index=self.photo_index)

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
            if not is_allocated_mobile(number):
                number = "138" + number[3:]  # an allocated range; the draws stay the same
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def birth(self, age_low: int, age_high: int) -> dt.date:
        age = self.rng.randint(age_low, age_high)
        return dt.date(self.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
