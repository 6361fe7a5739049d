"""StaffProfile (accounts), AuditEvent and AccessLog (privacy) came from the community app with
state-only migrations: a database made before the move keeps every row and every permission.

The database is taken back to the last migration before the move, rows are written through the
historical (community) models, and the move is applied again.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("community", "0009_audit_roles")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_moving_the_kernel_models_keeps_rows_and_permissions():
    old = _migrate(BEFORE)
    Community = old.get_model("community", "Community")
    User = old.get_model("auth", "User")
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    OldGroup = old.get_model("auth", "Group")

    home = Community.objects.create(name="红星社区", slug="moved-home")
    other = Community.objects.create(name="光明社区", slug="moved-other")
    user = User.objects.create(username="moved-viewer", is_staff=True)
    profile = old.get_model("community", "StaffProfile").objects.create(
        user=user, community=home, phone="0991-1234567"
    )
    profile.viewable_communities.add(other)
    old.get_model("community", "AuditEvent").objects.create(
        action="login", actor_name="moved-viewer", community=home
    )
    old.get_model("community", "AccessLog").objects.create(
        community=home, user=user, action="reveal", model="resident", reason="核对身份"
    )
    trail = ContentType.objects.get(app_label="community", model="auditevent")
    group = OldGroup.objects.create(name="moved-auditors")
    group.permissions.add(Permission.objects.get(content_type=trail, codename="view_auditevent"))
    user.groups.add(group)

    _migrate(_latest())

    from accounts.models import StaffProfile
    from privacy.models import AccessLog, AuditEvent

    moved = StaffProfile.objects.get(user__username="moved-viewer")
    assert (moved.community.slug, moved.phone) == ("moved-home", "0991-1234567")
    assert list(moved.viewable_communities.values_list("slug", flat=True)) == ["moved-other"]
    assert list(
        AuditEvent.objects.filter(community__slug="moved-home").values_list("action", flat=True)
    ) == ["login"]
    assert list(
        AccessLog.objects.filter(user__username="moved-viewer").values_list("reason", flat=True)
    ) == ["核对身份"]
    # The group's permission follows its content type to the new app.
    reloaded = get_user_model().objects.get(username="moved-viewer")
    assert reloaded.has_perm("privacy.view_auditevent")
    assert not reloaded.has_perm("community.view_auditevent")
    assert (
        Group.objects.get(name="moved-auditors").permissions.get().content_type.app_label
        == "privacy"
    )
