"""The role groups' permissions on the six-star work: ledger, weekly dispatch and scores."""

from django.db import migrations

from community.migrations._roles import (
    DIVISION_VIEWER,
    GRID_WORKER,
    SECRETARY,
    STAFF,
    STAR_MEMBER,
    grant,
)

EVERYTHING = ["view", "add", "change", "delete"]
LEDGER = ["worklog", "worklogphoto", "worklogattachment", "weeklytask"]
SCORE_INPUTS = ["indicator", "manualvalue", "vetoevent", "scoringrule"]


def forward(apps, schema_editor):
    grant(
        apps,
        {
            SECRETARY: {
                **{f"governance.{m}": EVERYTHING for m in [*LEDGER, *SCORE_INPUTS]},
                "governance.starmember": EVERYTHING,
                "governance.monthlyscore": [
                    "view",
                    "change",
                    "review_monthlyscore",
                    "lock_monthlyscore",
                ],
                "governance.indicatorresult": ["view"],
                "governance.lockedchange": ["view"],
                "governance.quarterlyassessment": [
                    "view",
                    "change",
                    "assess_quarterlyassessment",
                ],
            },
            STAFF: {
                **{f"governance.{m}": EVERYTHING for m in LEDGER},
                "governance.starmember": ["view"],
                "governance.indicator": ["view"],
                "governance.manualvalue": ["view", "add", "change"],
                "governance.vetoevent": ["view"],
                "governance.monthlyscore": ["view"],
                "governance.indicatorresult": ["view"],
                "governance.quarterlyassessment": ["view"],
            },
            # Their own star's records only (governance/work.py); they read the other stars'.
            STAR_MEMBER: {
                **{f"governance.{m}": EVERYTHING for m in LEDGER},
                "governance.starmember": ["view"],
                "governance.indicator": ["view"],
                "governance.monthlyscore": ["view"],
                "governance.indicatorresult": ["view"],
                "governance.quarterlyassessment": ["view"],
            },
            GRID_WORKER: {
                "governance.worklog": ["view"],
                "governance.worklogphoto": ["view"],
            },
            DIVISION_VIEWER: {
                "governance.monthlyscore": ["view"],
                "governance.quarterlyassessment": ["view"],
            },
        },
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_request_categories_and_roles")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
