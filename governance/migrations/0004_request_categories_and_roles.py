"""The default request categories and the role groups' permissions on requests and disputes."""

from django.db import migrations

from community.migrations._roles import (
    GRID_WORKER,
    SECRETARY,
    STAFF,
    STAR_MEMBER,
    grant,
)

# (name, English name, deadline class, responsible star)
CATEGORIES = [
    ("供水排水", "Water and drainage", "utilities", "cobuild"),
    ("燃气", "Gas", "emergency", "safety"),
    ("道路照明", "Roads and lighting", "general", "cobuild"),
    ("环境卫生", "Sanitation", "general", "cobuild"),
    ("治安安全", "Public safety", "emergency", "safety"),
    ("邻里纠纷", "Neighbour dispute", "general", "safety"),
    ("政策咨询", "Policy question", "general", "harmony"),
    ("就业创业", "Employment", "general", "jobs"),
    ("困难帮扶", "Assistance", "complex", "harmony"),
    ("其他", "Other", "general", ""),
]


def categories(apps, schema_editor):
    RequestCategory = apps.get_model("governance", "RequestCategory")
    for order, (name, name_en, deadline_class, star_code) in enumerate(CATEGORIES, start=1):
        RequestCategory.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "deadline_class": deadline_class,
                "star_code": star_code,
                "order": order,
            },
        )


def roles(apps, schema_editor):
    everything = ["view", "add", "change", "delete"]
    work = ["view", "add", "change"]
    disputes = ["dispute", "disputeparty", "mediationsession", "legalconsultation"]
    grant(
        apps,
        {
            SECRETARY: {
                "governance.servicerequest": work,
                "governance.requestevent": ["view"],
                "governance.requestphoto": ["view"],
                "governance.requestcategory": everything,
                "governance.calendarday": everything,
                **{f"governance.{m}": everything for m in disputes},
            },
            STAFF: {
                "governance.servicerequest": work,
                "governance.requestevent": ["view"],
                "governance.requestphoto": ["view"],
                "governance.requestcategory": ["view"],
                "governance.calendarday": everything,
                **{f"governance.{m}": everything for m in disputes},
            },
            GRID_WORKER: {
                "governance.servicerequest": work,
                "governance.requestevent": ["view"],
                "governance.requestphoto": ["view"],
                **{f"governance.{m}": work for m in disputes},
            },
            STAR_MEMBER: {
                "governance.servicerequest": ["view", "change"],
                "governance.requestevent": ["view"],
                "governance.requestphoto": ["view"],
                "governance.dispute": ["view"],
                "governance.legalconsultation": ["view"],
            },
        },
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_requests_and_disputes")]
    operations = [
        migrations.RunPython(categories, migrations.RunPython.noop),
        migrations.RunPython(roles, migrations.RunPython.noop),
    ]
