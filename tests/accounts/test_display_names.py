"""People appear by their name, not their login (accounts/names.py)."""

import pytest

from accounts.names import display_name
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("芳", "王", "王芳"),
        ("演示书记", "", "演示书记"),
        ("Anna", "Li", "Anna Li"),
        ("", "", "wf01"),
    ],
)
def test_the_full_name_or_else_the_login(first, last, shown):
    user = UserFactory(username="wf01", first_name=first, last_name=last)
    assert display_name(user) == shown == str(user)


def test_admin_lists_pickers_and_pages_show_the_name(client, community, secretary, staff):
    from tests.factories import WeeklyTaskFactory

    staff.first_name, staff.last_name = "建国", "李"
    staff.save()
    client.force_login(secretary)
    task = WeeklyTaskFactory(community=community, owner=staff)
    changelist = client.get("/admin/governance/weeklytask/").content.decode()
    assert "李建国" in changelist
    form = client.get(f"/admin/governance/weeklytask/{task.pk}/change/").content.decode()
    assert ">李建国</option>" in form
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert "<strong>李建国</strong>" in page  # the welcome line
