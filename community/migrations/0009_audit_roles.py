from django.db import migrations

from community.migrations._roles import SECRETARY, STAFF, grant


def forward(apps, schema_editor):
    # The secretary and the community's staff browse the audit trail (read-only).
    grant(apps, {role: {"community.auditevent": ["view"]} for role in (SECRETARY, STAFF)})


class Migration(migrations.Migration):
    dependencies = [("community", "0008_audit_trail_and_two_factor")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
