"""Each role group gets the permissions its week's tasks need (docs/roles.md lists the tasks,
where each is done and the permissions it takes; tests/accounts/test_roles_matrix.py checks
that page against the groups after migrating, both ways).

- Star leads and members pick residents and households (a trainee, a placed resident, a
  project's resident supervisor, a nominee): the pickers are the registry's own lists, so the
  group reads residents and households, scoped to its community and masked.
- Grid workers log their work in the ledger with photos and files, and keep the entries they
  wrote (governance/services/ledger.py).
"""

from django.db import migrations

from community.migrations._roles import GRID_WORKER, STAR_MEMBER, grant

GRANTS = {
    STAR_MEMBER: {
        "community.resident": ["view"],
        "community.household": ["view"],
    },
    GRID_WORKER: {
        "governance.worklog": ["add", "change", "delete"],
        "governance.worklogphoto": ["add", "change", "delete"],
        "governance.worklogattachment": ["view", "add", "change", "delete"],
    },
}


def forward(apps, schema_editor):
    grant(apps, GRANTS)


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0010_move_kernel_models"),
        ("governance", "0009_request_submitted_id_index"),
    ]
    operations = [migrations.RunPython(forward, backward)]
