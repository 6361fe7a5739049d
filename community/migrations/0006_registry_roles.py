"""Who may do what with the registry's new records and personal data.

- reveal_personal_data (full ID numbers and phones, logged): the party secretary only.
- view_sensitive_data (ethnicity, care tags): secretary, staff, and grid workers, who need
  the care tags for their home visits. Never the division viewer or star members.
- import/export of the resident ledger: secretary and staff.
- The access log is read by the secretary; nobody may change it.
"""

from django.db import migrations

from community.migrations._roles import GRID_WORKER, SECRETARY, STAFF, STAR_MEMBER, grant


def forward(apps, schema_editor):
    everything = ["view", "add", "change", "delete"]
    personal = ["view_sensitive_data", "import_resident", "export_resident"]
    grant(
        apps,
        {
            SECRETARY: {
                "community.resident": [*personal, "reveal_personal_data"],
                "community.caretag": everything,
                "community.residenttag": everything,
                "community.visit": everything,
                "community.partymember": everything,
                "community.volunteerservice": everything,
                "community.accesslog": ["view"],
            },
            STAFF: {
                "community.resident": personal,
                "community.caretag": ["view"],
                "community.residenttag": everything,
                "community.visit": everything,
                "community.partymember": ["view", "add", "change"],
                "community.volunteerservice": everything,
            },
            GRID_WORKER: {
                "community.resident": ["view_sensitive_data"],
                "community.caretag": ["view"],
                "community.residenttag": everything,
                "community.visit": ["view", "add", "change"],
            },
            STAR_MEMBER: {
                "community.partymember": ["view"],
                "community.volunteerservice": ["view"],
            },
        },
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0005_requests_and_disputes")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
