import re
import struct
import zlib
from io import BytesIO

import pytest
from django.db import connection
from django.urls import reverse
from PIL import Image

from governance.models import RequestEvent, RequestPhoto, ServiceRequest
from privacy.crypto import blind_index

from .conftest import GOOD_PHONE, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db
URL = "/requests/new/"


def _post_data(category, places, /, **overrides):
    data = {
        "category": category.pk,
        "description": "康乐小区1号楼门前路灯坏了三天",
        "compound": places["kangle"].pk,
        "building": places["b1"].pk,
        "unit": places["u1"].pk,
        "place_text": "",
        "requester_name": "张学福",
        "phone": "+86 138-1234-5678",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_request_new_url_names():
    assert reverse("governance:request-new") == "/requests/new/"
    assert reverse("governance:request-track") == "/requests/track/"


def test_request_form_page_is_chinese_with_consent_and_pickers(client, community, places):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "提交诉求" in html
    assert "个人信息保护法" in html
    assert f'data-parent="{places["kangle"].pk}"' in html
    assert "<script>" not in html and "style=" not in html


def test_request_submitted_with_photo_lands_in_the_buildings_grid(
    client, community, places, category, media_files
):
    data = _post_data(category, places)
    data["photos"] = [upload(name="我家门口.jpg")]
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response.url == "/requests/sent/"

    service_request = ServiceRequest.objects.get()
    assert re.fullmatch(r"HX-\d{4}-00001", service_request.reference)
    assert service_request.grid == places["grid_a"]
    assert service_request.status == ServiceRequest.Status.SUBMITTED
    assert service_request.channel == ServiceRequest.Channel.WEB
    assert service_request.phone == GOOD_PHONE
    assert service_request.phone_last4 == "5678"
    assert service_request.phone_index == blind_index(GOOD_PHONE, purpose="phone")
    assert service_request.masked_phone == "138****5678"
    assert service_request.consent_at is not None
    assert service_request.star.code == "cobuild"
    assert [e.kind for e in service_request.events.all()] == [RequestEvent.Kind.SUBMITTED]

    # The phone is ciphertext in the database.
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM governance_servicerequest")
        (stored,) = cursor.fetchone()
    assert GOOD_PHONE not in stored

    page = client.get(response.url).content.decode()
    assert service_request.reference in page
    assert "/requests/track/" in page

    (photo,) = RequestPhoto.objects.all()
    assert "我家" not in photo.image.name and photo.image.name.endswith(".jpg")
    assert len(media_files()) == 1


def test_uploaded_photo_has_no_exif_gps(client, community, places, category):
    raw = jpeg_with_gps()
    assert Image.open(BytesIO(raw)).getexif().get_ifd(0x8825)
    data = _post_data(category, places)
    data["photos"] = [upload(raw)]
    assert client.post(URL, data).status_code == 302
    photo = RequestPhoto.objects.get()
    with photo.image.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(0x8825)


def test_success_page_without_a_submission_goes_back_to_the_form(client, community):
    response = client.get("/requests/sent/")
    assert response.status_code == 302 and response.url == URL


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": ""}, "category", "请选择诉求类别。"),
        ({"category": "999999"}, "category", "选择一个有效的选项"),
        ({"description": "  "}, "description", "请描述问题。"),
        ({"description": "长" * 2001}, "description", "2000"),
        ({"phone": ""}, "phone", "请填写手机号码。"),
        ({"phone": "12345678901"}, "phone", "11"),
        ({"phone": "1381234567"}, "phone", "11"),
        ({"phone": "abc"}, "phone", "11"),
        ({"phone": "140 1234 5678"}, "phone", "140 开头的号码不是已分配的手机号段"),
        ({"phone": "(+86)154-1234-5678"}, "phone", "154 开头的号码不是已分配的手机号段"),
        ({"phone": "0991-2345678"}, "phone", "11"),  # the request form needs a mobile
        ({"consent": None}, "consent", "请同意"),
        ({"compound": None, "building": None, "unit": None}, "place_text", "请选择楼栋或描述地点"),
        ({"building": "999999"}, "building", "选择一个有效的选项"),
        ({"unit": "u2"}, "unit", "该单元不在所选楼栋"),
        ({"compound": "xingguang"}, "building", "该楼栋不在所选小区"),
        ({"requester_name": "名" * 51}, "requester_name", "50"),
        ({"place_text": "地" * 201}, "place_text", "200"),
    ],
)
def test_bad_input_gives_a_clear_chinese_error_and_saves_nothing(
    client, community, places, category, media_files, overrides, field, message
):
    resolved = {k: (places[v].pk if v in places else v) for k, v in overrides.items()}
    if resolved.get("compound") is None and "compound" in overrides:
        resolved["compound"] = None
    data = _post_data(category, places, **resolved)
    data["photos"] = [upload()]
    response = client.post(URL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]
    assert ServiceRequest.objects.count() == 0
    assert RequestPhoto.objects.count() == 0
    assert media_files() == []


def _png_declaring(width, height) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\x00" * 1000)
    idat = b"IDAT" + data
    body += struct.pack(">I", len(data)) + idat + struct.pack(">I", zlib.crc32(idat))
    return b"\x89PNG\r\n\x1a\n" + body + b"\x00" * 20000


UNREADABLE = "不是可识别的照片"
HOSTILE = [
    ("html-behind-image-header", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
     "x.jpg", UNREADABLE),
    ("png-header-then-html", b"\x89PNG\r\n\x1a\n<html><body>hi</body></html>", "x.png", UNREADABLE),
    ("pixel-bomb-100000x100000", _png_declaring(100000, 100000), "bomb.png", "百万像素"),
    ("zero-bytes", b"", "empty.jpg", "文件是空的"),
    ("truncated-jpeg", jpeg_with_gps()[:300], "cut.jpg", UNREADABLE),
    ("php-with-jpg-extension", b"<?php system($_GET['c']); ?>", "shell.php.jpg", UNREADABLE),
    ("svg-with-script", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "x.svg", UNREADABLE),
]  # fmt: skip


@pytest.mark.parametrize(("data", "name", "message"), [h[1:] for h in HOSTILE],
                         ids=[h[0] for h in HOSTILE])  # fmt: skip
def test_hostile_uploads_are_refused_and_leave_nothing(
    client, community, places, category, media_files, data, name, message
):
    form = _post_data(category, places)
    form["photos"] = [upload(jpeg_with_gps(), name="good.jpg"), upload(data, name=name)]
    response = client.post(URL, form)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["photos"])
    assert "第2张照片" in errors and message in errors, errors
    assert ServiceRequest.objects.count() == 0
    assert media_files() == []


def test_a_png_under_a_wrong_extension_is_accepted_as_a_photo(client, community, places, category):
    out = BytesIO()
    Image.new("RGB", (20, 20), (0, 200, 0)).save(out, "PNG")
    form = _post_data(category, places)
    form["photos"] = [upload(out.getvalue(), name="photo.gif", content_type="image/gif")]
    assert client.post(URL, form).status_code == 302
    assert RequestPhoto.objects.get().image.name.endswith(".jpg")


def test_oversize_photo_is_refused(client, community, places, category, media_files):
    noise = Image.frombytes("RGB", (2200, 1400), bytes(range(256)) * (2200 * 1400 * 3 // 256 + 1))
    out = BytesIO()
    noise.save(out, "BMP")
    assert len(out.getvalue()) > 8 * 1024 * 1024
    form = _post_data(category, places)
    form["photos"] = [upload(out.getvalue(), name="big.bmp", content_type="image/bmp")]
    response = client.post(URL, form)
    assert response.status_code == 400
    assert "8 MB" in " ".join(response.context["form"].errors["photos"])
    assert ServiceRequest.objects.count() == 0 and media_files() == []


def test_more_than_three_photos_are_refused(client, community, places, category, media_files):
    form = _post_data(category, places)
    form["photos"] = [upload() for _ in range(4)]
    response = client.post(URL, form)
    assert response.status_code == 400
    assert "最多" in " ".join(response.context["form"].errors["photos"])
    assert ServiceRequest.objects.count() == 0 and media_files() == []


def test_failure_after_photos_were_written_removes_them(
    community, places, category, media_files, monkeypatch
):
    """A database error after the files were written rolls everything back, files included."""
    from django.db import IntegrityError

    from governance.services.request_lifecycle import record_event
    from governance.services.requests import submit_request
    from privacy.images import clean_photo

    original = record_event
    calls = []

    def failing_record(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the "accepted" event, after the photos were saved
            raise IntegrityError("simulated failure")
        return original(*args, **kwargs)

    monkeypatch.setattr("governance.services.requests.record_event", failing_record)
    with pytest.raises(IntegrityError):
        submit_request(
            community=community,
            category=category,
            description="井盖缺失",
            phone=GOOD_PHONE,
            consent=True,
            building=places["b1"],
            photos=[clean_photo(upload()), clean_photo(upload())],
            channel=ServiceRequest.Channel.WALK_IN,
            actor=_staff_user(),
        )
    assert ServiceRequest.objects.count() == 0
    assert RequestPhoto.objects.count() == 0
    assert media_files() == []


def _staff_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("walkin-clerk", is_staff=True)


def test_honeypot_filled_saves_nothing(client, community, places, category):
    response = client.post(URL, _post_data(category, places, website="http://spam.example"))
    assert response.status_code == 400
    assert "未能提交" in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_per_ip_rate_limit_gives_a_friendly_chinese_message(
    client, community, places, category, settings
):
    settings.HX_RATE_LIMITS = {"request_submit": (2, 3600)}
    for _ in range(2):
        assert client.post(URL, _post_data(category, places)).status_code == 302
    response = client.post(URL, _post_data(category, places))
    assert response.status_code == 429
    assert "请稍后再试" in response.content.decode()
    assert ServiceRequest.objects.count() == 2
    # Another address is not affected.
    other = client.post(URL, _post_data(category, places), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_free_text_place_without_building_has_no_grid(client, community, places, category):
    data = _post_data(
        category, places, compound=None, building=None, unit=None, place_text="菜市场东侧路口"
    )
    assert client.post(URL, data).status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.grid is None and service_request.place == "菜市场东侧路口"


@pytest.mark.parametrize("rows", [1, 3])
def test_request_form_page_runs_a_fixed_number_of_queries(
    client, community, category, django_assert_max_num_queries, rows
):
    from community.models import Building, Compound, Grid, Unit

    grid = Grid.objects.create(community=community, code="Q", name="Q")
    for i in range(rows):
        compound = Compound.objects.create(community=community, name=f"小区{i}")
        building = Building.objects.create(
            community=community, compound=compound, grid=grid, number=f"{i}号楼"
        )
        Unit.objects.create(building=building, number="1单元")
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200
