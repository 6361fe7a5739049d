"""The demo community: deterministic, valid fictional people, idempotent, working logins."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts import roles
from accounts.models import StaffProfile
from community.models import GridMember, Household, PartyMember, Resident
from community.validators import birth_date_from_id, gender_from_id, normalize_id_number
from governance.demo.builder import load_demo
from governance.demo.context import REAL_PEOPLE
from governance.models import (
    MonthlyScore,
    QuarterlyAssessment,
    StarMember,
    WorkLogPhoto,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_loading_twice_changes_nothing(demo):
    before = _counts()
    again = load_demo()
    assert again.created is False
    assert _counts() == before


def test_demo_has_the_registry_of_the_spec(demo):
    community = demo.community
    assert community.full_name == "红星一场红星社区"
    assert Household.objects.filter(community=community).count() == 1200
    assert Resident.objects.filter(community=community).count() == 3000
    minority = Resident.objects.filter(community=community).exclude(ethnicity__in=["", "01"])
    assert minority.count() == 563
    names = set(community.compounds.values_list("name", flat=True))
    assert {"康乐小区", "星光花苑二期"} <= names
    assert community.grids.count() == 4
    assert Household.objects.filter(community=community, head__isnull=True).count() == 0
    assert PartyMember.objects.filter(
        community=community, kind="in_service", dual_registered_on__year=2024
    ).exists()


def test_demo_residents_are_fictional_with_valid_id_numbers_and_mobiles(demo):
    rows = list(Resident.objects.filter(community=demo.community).order_by("id"))
    assert not {r.name for r in rows} & REAL_PEOPLE
    numbers = [r.id_number for r in rows]
    assert len(set(numbers)) == len(numbers)
    for resident in rows[::25]:  # decrypting all 3,000 adds nothing
        assert normalize_id_number(resident.id_number, today=dt.date(2024, 12, 31))
        assert birth_date_from_id(resident.id_number) == resident.birth_date
        assert gender_from_id(resident.id_number) == resident.gender
        assert (
            resident.id_number_masked == resident.id_number[:3] + "*" * 11 + resident.id_number[-4:]
        )
        if resident.phone:
            assert re.fullmatch(r"1[3-9]\d{9}", resident.phone)
            assert resident.phone_last4 == resident.phone[-4:]
    # The blind index is the registry's: lookups by the full number find the resident.
    sample = rows[123]
    assert list(Resident.objects.by_id_number(sample.id_number)) == [sample]


def test_demo_is_deterministic(demo):
    """The people come from a seeded generator: the first residents are always the same."""
    first = list(
        Resident.objects.filter(community=demo.community)
        .order_by("id")
        .values_list("name", "birth_date", "ethnicity")[:3]
    )
    assert first == DETERMINISTIC_FIRST


def test_demo_scores_come_from_the_scoring_engine(demo):
    scores = MonthlyScore.objects.filter(community=demo.community, month__year=2024)
    assert scores.count() == 72
    assert scores.filter(state=MonthlyScore.State.LOCKED).count() == 72
    # Computed scores keep the indicator results they were built from.
    assert all(s.results.exists() for s in scores.filter(month=dt.date(2024, 6, 1)))
    assessments = QuarterlyAssessment.objects.filter(community=demo.community, year=2024)
    assert assessments.count() == 24
    assert set(assessments.values_list("status", flat=True)) == {"lit"}


def test_demo_activity_photos_are_stored_files(demo):
    photos = WorkLogPhoto.objects.filter(worklog__community=demo.community)
    assert photos.count() >= 20
    photo = photos.first()
    assert default_storage.exists(photo.image.name)
    assert default_storage.exists(photo.thumbnail.name)
    assert photo.worklog.is_public


def test_demo_logins_have_their_roles_and_bindings(demo, client):
    printed = {login.username: login for login in demo.logins if login.printed}
    assert set(printed) == {"secretary", "lead_safety", "grid1", "grid2", "viewer"}
    User = get_user_model()
    for login in printed.values():
        assert client.login(username=login.username, password=login.password)
        assert User.objects.get(username=login.username).groups.filter(name=login.role).exists()
        client.logout()
    grids = {
        m.user.username: m.grid.code for m in GridMember.objects.select_related("user", "grid")
    }
    assert grids["grid1"] != grids["grid2"]
    assert StarMember.objects.get(user__username="lead_safety").role == StarMember.Role.LEAD
    viewer = StaffProfile.objects.get(user__username="viewer")
    assert viewer.community is None
    assert list(viewer.viewable_communities.all()) == [demo.community]
    assert StaffProfile.objects.get(user__username="secretary").community == demo.community
    assert printed["secretary"].role == roles.SECRETARY


def test_load_demo_command_prints_the_logins(demo, capsys):
    call_command("load_demo", allow_production=True)
    out = capsys.readouterr().out
    assert "nothing changed" in out
    for username in ("secretary", "lead_safety", "grid1", "grid2", "viewer"):
        assert f"{username} / hongxing-demo-2024" in out


DETERMINISTIC_FIRST = [
    ("卢文", dt.date(1985, 10, 25), "01"),
    ("孔凤", dt.date(1987, 1, 22), "01"),
    ("卢勇泽", dt.date(2016, 6, 15), "01"),
]
