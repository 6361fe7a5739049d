"""Faults: the database away (branded 503, /healthz says so, recovery without a restart); a
full disk during an upload or an import (clear error, nothing half-written); two staff
editing one record (the second is told; no update is lost)."""

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from community.models import Household, Resident
from governance.models import RequestCategory, RequestPhoto, ServiceRequest
from privacy.models import AccessLog
from tests.community.test_import_export import HEADERS, _good_rows
from tests.governance.requests.conftest import jpeg_with_gps
from tests.governance.requests.test_submit import _post_data

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]

RECOVERY_SCRIPT = """
import os, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)  # production static files
client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
down = client.get("/notices/")
health = client.get("/healthz")
print("DOWN", down.status_code, health.status_code, down["Retry-After"])
print("PAGE", "暂时无法访问" in down.content.decode(), "Traceback" in down.content.decode())
# The administrator brings the database back; the same process serves again.
os.makedirs(os.environ["DB_DIR"])
call_command("migrate", verbosity=0)
print("UP", client.get("/healthz").status_code, client.get("/notices/").status_code)
"""


def test_database_away_gives_a_branded_503_and_the_site_recovers_without_restart(tmp_path):
    db_dir = tmp_path / "missing" / "dir"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{db_dir}/db.sqlite3",
        "DB_DIR": str(db_dir),
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", RECOVERY_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BASE_DIR,
    )
    lines = result.stdout.split("\n")
    assert lines[0] == "DOWN 503 503 60", result.stderr[-2000:]
    assert lines[1] == "PAGE True False"
    # /notices/ needs the community: 404 once the (empty) database answers, never 503.
    assert lines[2] in ("UP 200 404", "UP 200 200"), result.stdout


class FullDiskStorage(FileSystemStorage):
    """Writes the first file, then the disk is full."""

    written = 0

    def _save(self, name, content):
        if FullDiskStorage.written >= 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        FullDiskStorage.written += 1
        return super()._save(name, content)


@pytest.fixture
def full_disk(settings):
    FullDiskStorage.written = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.security.test_faults.FullDiskStorage"},
    }
    yield


def _files(root) -> list[Path]:
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_full_disk_during_a_photo_upload_keeps_nothing(world, settings, full_disk):
    from community.models import Building, Compound, Unit

    compound = Compound.objects.create(community=world.community, name="康乐小区")
    building = Building.objects.create(
        community=world.community, compound=compound, grid=world.grid_a, number="1号楼"
    )
    unit = Unit.objects.create(building=building, number="1单元")
    places = {"kangle": compound, "b1": building, "u1": unit}
    category = RequestCategory.objects.get(name="道路照明")
    data = _post_data(category, places)
    data["photos"] = [
        SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg"),
        SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg"),
    ]
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/requests/new/", data)
    assert response.status_code == 507
    html = response.content.decode()
    assert "存储空间已满" in html and "Traceback" not in html
    assert FullDiskStorage.written == 1  # one photo had been written before the disk filled
    assert ServiceRequest.objects.count() == 0
    assert RequestPhoto.objects.count() == 0
    assert _files(settings.MEDIA_ROOT) == []


class FullTempStorage:
    """django-import-export's temporary storage of the uploaded ledger, on a full disk."""

    def __init__(self, **kwargs):
        self.name = kwargs.get("name")

    def save(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def read(self):  # pragma: no cover - never reached
        raise AssertionError

    def remove(self):  # pragma: no cover
        pass


def test_full_disk_during_an_import_keeps_nothing(world, settings, tmp_path):
    from community.resources import write_xlsx

    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "tests.security.test_faults.FullTempStorage"
    before = Resident.objects.count()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.staff)
    upload = SimpleUploadedFile("ledger.xlsx", write_xlsx(HEADERS, _good_rows()))
    response = client.post(
        "/admin/community/resident/import/", {"format": "0", "import_file": upload}
    )
    assert response.status_code == 507
    assert "存储空间已满" in response.content.decode()
    assert Resident.objects.count() == before
    assert not AccessLog.objects.filter(action="import").exists()
    assert _files(settings.MEDIA_ROOT) == []


def _form_data(response) -> dict:
    """What the browser would send back: the change form as rendered, inlines included."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            put(form)
    return data


@pytest.mark.parametrize("model", ["resident", "household"])
def test_two_staff_editing_one_record_the_second_is_told(world, model):
    obj = world.canary if model == "resident" else world.home_a
    url = f"/admin/community/{model}/{obj.pk}/change/"
    field = "notes" if model == "resident" else "door_number"
    first, second = Client(), Client()
    first.force_login(world.staff)
    second.force_login(world.secretary)
    form_first = _form_data(first.get(url))
    form_second = _form_data(second.get(url))
    assert form_first["record_version"] == form_second["record_version"]

    response = first.post(url, {**form_first, field: "102"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = second.post(url, {**form_second, field: "103"})
    assert response.status_code == 200
    assert "别人在您打开后保存了这条记录" in response.content.decode()
    model_class = Resident if model == "resident" else Household
    assert getattr(model_class.objects.get(pk=obj.pk), field) == "102"  # the first one stays
    # Reopened, the second sees the first one's change and can save theirs on top.
    fresh = _form_data(second.get(url))
    assert fresh[field] == "102"
    assert second.post(url, {**fresh, field: "103"}).status_code == 302
    assert getattr(model_class.objects.get(pk=obj.pk), field) == "103"
