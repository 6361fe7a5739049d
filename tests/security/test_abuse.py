"""Abuse limits: the public rate limits count real clients behind the proxy; uploads are
capped in count, size and pixels; spreadsheet imports in size, parts and inflation."""

import struct
import zipfile
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from community.models import Building, Compound, Resident, Unit
from community.resources import write_xlsx
from community.uploads import MAX_SPREADSHEET_BYTES, check_spreadsheet
from governance.models import RequestCategory, ServiceRequest
from tests.community.test_import_export import HEADERS, _good_rows
from tests.governance.requests.conftest import jpeg_with_gps
from tests.governance.requests.test_submit import _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(world):
    compound = Compound.objects.create(community=world.community, name="康乐小区")
    building = Building.objects.create(
        community=world.community, compound=compound, grid=world.grid_a, number="1号楼"
    )
    unit = Unit.objects.create(building=building, number="1单元")
    category = RequestCategory.objects.get(name="道路照明")
    return lambda **extra: _post_data(
        category, {"kangle": compound, "b1": building, "u1": unit}, **extra
    )


def test_request_form_limit_counts_each_client_behind_the_proxy(form, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.HX_RATE_LIMITS = {"request_submit": (2, 3600)}
    nginx = "10.0.0.1"
    spammer = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert spammer.post("/requests/new/", form()).status_code == 302
    assert spammer.post("/requests/new/", form()).status_code == 302
    assert spammer.post("/requests/new/", form()).status_code == 429
    # Forging a left-most address does not reset the counter.
    forged = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5")
    assert forged.post("/requests/new/", form()).status_code == 429
    # A neighbour behind the same nginx is not blocked by the spammer.
    neighbour = Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert neighbour.post("/requests/new/", form()).status_code == 302
    assert ServiceRequest.objects.count() == 3


def test_tracking_page_limit_counts_each_client_behind_the_proxy(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.HX_RATE_LIMITS = {"request_track": (3, 600)}
    guesser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    statuses = [
        guesser.post("/requests/track/", {"reference": f"HX-2025-{n:05d}", "last4": "0000"})
        for n in range(5)
    ]
    assert [r.status_code for r in statuses] == [404, 404, 404, 429, 429]
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = other.post("/requests/track/", {"reference": "HX-2025-00001", "last4": "0000"})
    assert response.status_code == 404  # looked up (nothing found), not limited


def test_too_many_files_in_one_request_are_refused(form, settings):
    files = [
        SimpleUploadedFile(f"p{n}.jpg", jpeg_with_gps(), "image/jpeg")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    client = Client(raise_request_exception=False)
    response = client.post("/requests/new/", form(photos=files))
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 0


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_a_pixel_bomb_photo_is_refused_with_a_clear_message(form, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    bomb = SimpleUploadedFile("bomb.png", _png_declaring(100_000, 100_000), "image/png")
    response = client.post("/requests/new/", form(photos=[bomb]))
    assert response.status_code == 400  # the form comes back with the reason
    assert "像素" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def _zip_bomb() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row/>" * 200_000
            for _ in range(30):  # 36 MB of XML in a few tens of kilobytes
                sheet.write(block)
    return out.getvalue()


def test_spreadsheet_checks_refuse_bombs_non_zips_and_oversize_files():
    with pytest.raises(ValueError, match="MB"):
        check_spreadsheet(_zip_bomb())
    with pytest.raises(ValueError):
        check_spreadsheet(b"name,id\n" * 10)
    with pytest.raises(ValueError):
        check_spreadsheet(b"\0" * (MAX_SPREADSHEET_BYTES + 1))
    check_spreadsheet(write_xlsx(HEADERS, _good_rows()))  # a real ledger passes


def test_a_zip_bomb_uploaded_for_import_is_refused_and_imports_nothing(world):
    before = Resident.objects.count()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.staff)
    response = client.post(
        "/admin/community/resident/import/",
        {"format": "0", "import_file": SimpleUploadedFile("bomb.xlsx", _zip_bomb())},
    )
    assert response.status_code == 200
    assert "疑似损坏或恶意文件" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert Resident.objects.count() == before
