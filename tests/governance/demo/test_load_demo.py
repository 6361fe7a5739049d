import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from community.models import Community
from governance.models import Star

pytestmark = pytest.mark.django_db


def test_load_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo", allow_production=True)
    first = capsys.readouterr().out
    call_command("load_demo", allow_production=True)
    assert Community.objects.count() == 1
    assert Star.objects.count() == 6
    assert get_user_model().objects.filter(username="secretary").count() == 1
    assert "secretary / " in first
    community = Community.objects.get()
    assert community.full_name == "红星一场红星社区"


def test_demo_secretary_can_log_in_to_the_admin(client):
    call_command("load_demo", allow_production=True)
    assert client.login(username="secretary", password="hongxing-demo-2024")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert (
        get_user_model().objects.get(username="secretary").groups.filter(name="党支部书记").exists()
    )


def test_load_demo_refuses_production_without_the_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
