from django.db import migrations

from community.migrations._roles import (
    ALL_ROLES,
    DIVISION_VIEWER,
    GRID_WORKER,
    SECRETARY,
    STAFF,
    STAR_MEMBER,
    grant,
)


def forward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ALL_ROLES:
        Group.objects.get_or_create(name=role)
    grant(
        apps,
        {
            SECRETARY: {
                "community.community": ["view", "change"],
                "governance.star": ["view", "change"],
            },
            STAFF: {"community.community": ["view"], "governance.star": ["view"]},
            STAR_MEMBER: {"governance.star": ["view"]},
            GRID_WORKER: {"governance.star": ["view"]},
            DIVISION_VIEWER: {"community.community": ["view"], "governance.star": ["view"]},
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_community"),
        ("governance", "0001_star"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
