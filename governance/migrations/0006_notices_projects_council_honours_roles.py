from django.db import migrations

from community.migrations._roles import (
    DIVISION_VIEWER,
    GRID_WORKER,
    SECRETARY,
    STAFF,
    STAR_MEMBER,
    grant,
)

ALL = ["view", "add", "change", "delete"]
PUBLIC_WORK = [
    "notice",
    "noticeattachment",
    "project",
    "budgetline",
    "contract",
    "payment",
    "milestone",
    "milestonephoto",
    "inspection",
    "council",
    "councilmember",
    "councilmeeting",
    "motion",
    "motionoption",
    "vote",
    "motionobjection",
    "honourcampaign",
    "nomination",
    "nominationobjection",
    "pairing",
    "pairingcontact",
    "trainingcourse",
    "enrollment",
    "jobplacement",
]


def forward(apps, schema_editor):
    def models(names, actions):
        return {f"governance.{name}": actions for name in names}

    grant(
        apps,
        {
            SECRETARY: {
                **models(PUBLIC_WORK, ALL),
                "governance.relief": [*ALL, "approve_relief"],
            },
            STAFF: {
                **models(PUBLIC_WORK, ALL),
                "governance.relief": ["view", "add", "change"],
            },
            STAR_MEMBER: {
                **models(PUBLIC_WORK, ["view"]),
                **models(
                    [
                        "notice",
                        "noticeattachment",
                        "milestone",
                        "milestonephoto",
                        "inspection",
                        "pairingcontact",
                        "enrollment",
                        "jobplacement",
                        "nomination",
                    ],
                    ["view", "add", "change"],
                ),
            },
            GRID_WORKER: {
                **models(["pairing", "trainingcourse", "notice"], ["view"]),
                **models(["pairingcontact", "enrollment", "jobplacement"], ["view", "add"]),
                "governance.relief": ["view", "add"],
            },
            # Aggregates and public facts only: no objections (contacts), no relief, no people.
            DIVISION_VIEWER: models(
                [
                    "notice",
                    "project",
                    "budgetline",
                    "contract",
                    "payment",
                    "milestone",
                    "council",
                    "councilmeeting",
                    "motion",
                    "honourcampaign",
                    "trainingcourse",
                ],
                ["view"],
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_six_star_work_roles")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
