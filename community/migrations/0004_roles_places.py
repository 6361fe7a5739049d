from django.db import migrations

from community.migrations._roles import (
    DIVISION_VIEWER,
    GRID_WORKER,
    SECRETARY,
    STAFF,
    STAR_MEMBER,
    grant,
)

PLACES = ["grid", "compound", "building", "unit", "household"]


def forward(apps, schema_editor):
    everything = ["view", "add", "change", "delete"]
    grant(
        apps,
        {
            SECRETARY: {
                **{f"community.{m}": everything for m in [*PLACES, "resident", "gridmember"]},
                "community.staffprofile": ["view"],
            },
            STAFF: {
                **{f"community.{m}": everything for m in PLACES if m != "grid"},
                "community.grid": ["view"],
                "community.gridmember": ["view"],
                "community.resident": everything,
            },
            GRID_WORKER: {
                "community.grid": ["view"],
                "community.compound": ["view"],
                "community.building": ["view"],
                "community.unit": ["view", "add"],
                "community.household": ["view", "add", "change"],
                "community.resident": ["view", "add", "change"],
            },
            STAR_MEMBER: {"community.grid": ["view"], "community.compound": ["view"]},
            DIVISION_VIEWER: {"community.grid": ["view"], "community.compound": ["view"]},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0003_places_people_staff")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
