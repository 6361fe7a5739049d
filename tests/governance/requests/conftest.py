"""Fixtures for the request tests: places, staff bound to the community, photos, clean media."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import Building, Compound, Grid, GridMember, Unit
from governance.models import RequestCategory
from governance.services.requests import submit_request

GOOD_PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own MEDIA_ROOT and an empty cache (rate-limit counters)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_files(settings):
    def files() -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return files


@pytest.fixture
def places(community):
    grid_a = Grid.objects.create(community=community, code="G1", name="第一网格")
    grid_b = Grid.objects.create(community=community, code="G2", name="第二网格")
    kangle = Compound.objects.create(community=community, name="康乐小区")
    xingguang = Compound.objects.create(community=community, name="星光花苑二期")
    b1 = Building.objects.create(community=community, compound=kangle, grid=grid_a, number="1号楼")
    b2 = Building.objects.create(
        community=community, compound=xingguang, grid=grid_b, number="2号楼"
    )
    u1 = Unit.objects.create(building=b1, number="1单元")
    u2 = Unit.objects.create(building=b2, number="1单元")
    return {
        "grid_a": grid_a,
        "grid_b": grid_b,
        "kangle": kangle,
        "xingguang": xingguang,
        "b1": b1,
        "b2": b2,
        "u1": u1,
        "u2": u2,
    }


@pytest.fixture
def category():
    return RequestCategory.objects.get(name="道路照明")  # general: 7 working days


@pytest.fixture
def emergency_category():
    return RequestCategory.objects.get(name="燃气")


@pytest.fixture
def office(community, staff, secretary):
    """The staff member and the secretary, bound to the community (by their fixtures)."""
    return staff


@pytest.fixture
def worker(community, grid_worker, places):
    """A grid worker of grid A."""
    GridMember.objects.create(grid=places["grid_a"], user=grid_worker)
    return grid_worker


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (43.0, 50.0, 0.0), 3: "E", 4: (87.0, 36.0, 0.0)}
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes | None = None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_with_gps() if data is None else data, content_type)


@pytest.fixture
def make_request(community, category, places):
    """Submit a request through the service (the way the public form does)."""

    def make(**overrides):
        fields = {
            "community": community,
            "category": category,
            "description": "路灯不亮",
            "phone": GOOD_PHONE,
            "consent": True,
            "building": places["b1"],
        }
        fields.update(overrides)
        return submit_request(**fields)

    return make
