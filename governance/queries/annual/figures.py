"""The figures of the annual summary: the community overview, then each star's figures.

Pure data, evaluated by governance.queries.annual.specs.evaluate: every figure names its value's
source among the year's records (governance.queries.annual.records) and the admin page that lists
exactly the records behind it. A star the community does not have shows no figures.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import PartyMember
from governance.models import Nomination, WorkLog
from governance.queries.annual.records import HAN
from governance.queries.annual.specs import (
    END,
    START,
    Each,
    Ledger,
    One,
    PerRow,
    between,
    link,
    take,
)
from governance.queries.links import admin_url
from governance.score_formula import q2

Kind = WorkLog.Kind

REQUESTS_RESOLVED = gettext_lazy("Resident requests resolved")
RESOLVED_REQUESTS = between("admin:governance_servicerequest_changelist", "resolved_at", at=True)
DISPUTES = between("admin:governance_dispute_changelist", "found_on")
# The population at the end of the year (community.admin.filters.AsOfFilter).
CURRENT = {"living_on": END}
PAIRINGS = link("admin:governance_pairing_changelist", started_on__lt=END)

OVERVIEW = (
    One(
        "households",
        gettext_lazy("Households"),
        take("households"),
        link("admin:community_household_changelist", **CURRENT),
        counts_records=True,
    ),
    One(
        "residents",
        gettext_lazy("Residents"),
        take("people", "residents"),
        link("admin:community_resident_changelist", **CURRENT),
        counts_records=True,
    ),
    One(
        "requests_received",
        gettext_lazy("Resident requests received"),
        take("requests", "received"),
        between("admin:governance_servicerequest_changelist", "submitted_at", at=True),
        counts_records=True,
    ),
    One(
        "requests_resolved",
        REQUESTS_RESOLVED,
        take("requests", "resolved"),
        RESOLVED_REQUESTS,
        counts_records=True,
    ),
)

FORTRESS = (
    Ledger("branch_meetings", gettext_lazy("Branch meetings"), Kind.MEETING),
    Ledger("volunteer_activities", gettext_lazy("Volunteer service activities"), Kind.VOLUNTEER),
    One(
        "party_members",
        gettext_lazy("Party members"),
        take("party", "total"),
        link("admin:community_partymember_changelist"),
        counts_records=True,
    ),
    One(
        "dual_registered",
        gettext_lazy("In-service party members registered with the community (双报到)"),
        take("party", "dual"),
        link(
            "admin:community_partymember_changelist",
            kind__exact=PartyMember.Kind.IN_SERVICE,
            dual_registered_on__gte=START,
            dual_registered_on__lt=END,
        ),
        counts_records=True,
    ),
)

SAFETY = (
    One(
        "requests_resolved_safety",
        REQUESTS_RESOLVED,
        take("requests", "resolved"),
        RESOLVED_REQUESTS,
        counts_records=True,
    ),
    One(
        "major_disputes",
        gettext_lazy("Major disputes found and mediated"),
        take("disputes", "major"),
        between("admin:governance_dispute_changelist", "found_on", is_major__exact="1"),
        counts_records=True,
    ),
    One(
        "disputes",
        gettext_lazy("Disputes found"),
        take("disputes", "found"),
        DISPUTES,
        counts_records=True,
    ),
    One(
        "mediation_rate",
        gettext_lazy("Mediation rate (调处率)"),
        take("disputes", "mediation_rate"),
        DISPUTES,
        "%",
    ),
    One(
        "resolution_rate",
        gettext_lazy("Resolution rate (化解率)"),
        take("disputes", "resolution_rate"),
        DISPUTES,
        "%",
    ),
    One(
        "legal_consultations",
        gettext_lazy("Legal consultations"),
        take("consultations"),
        between("admin:governance_legalconsultation_changelist", "consulted_on"),
        counts_records=True,
    ),
    Ledger(
        "safety_publicity",
        gettext_lazy("Safety and rule-of-law publicity activities"),
        Kind.PUBLICITY,
    ),
    Ledger("safety_brochures", gettext_lazy("Brochures handed out"), Kind.PUBLICITY, "brochures"),
)

JOBS = (
    Ledger("employment_publicity", gettext_lazy("Employment publicity sessions"), Kind.PUBLICITY),
    One(
        "placements",
        gettext_lazy("Residents placed in jobs"),
        take("placements"),
        between("admin:governance_jobplacement_changelist", "placed_on"),
        counts_records=True,
    ),
    Each(
        take("courses"),
        (
            PerRow(
                key=lambda records, row: f"training:{row['course__title']}",
                label=lambda records, row: (
                    _("Training registrations: %(course)s") % {"course": row["course__title"]}
                ),
                value=lambda records, row: row["n"],
                url=lambda records, row: admin_url(
                    "admin:governance_trainingcourse_change", args=[row["course_id"]]
                ),
            ),
        ),
    ),
)

HARMONY = (
    Ledger(
        "policy_households",
        gettext_lazy("Households visited for policy publicity"),
        Kind.HOME_VISIT,
        "households_reached",
    ),
    Ledger(
        "policy_posts",
        gettext_lazy("Policy posts in building WeChat groups"),
        total="online_posts",
    ),
    Ledger("policy_talks", gettext_lazy("Cultural events with policy talks"), Kind.ACTIVITY),
    Ledger("policy_brochures", gettext_lazy("Policy brochures handed out"), total="brochures"),
    One(
        "relief",
        gettext_lazy("Temporary relief granted"),
        take("relief"),
        between("admin:governance_relief_changelist", "applied_on"),
    ),
)

YUAN = gettext_lazy("yuan")

COBUILD = (
    Each(
        take("projects"),
        (
            PerRow(
                key=lambda records, project: f"project_budget:{project.pk}",
                label=lambda records, project: _("%(project)s: budget") % {"project": project.name},
                value=lambda records, project: project.budget,
                url=lambda records, project: admin_url(
                    "admin:governance_project_change", args=[project.pk]
                ),
                unit=YUAN,
            ),
            PerRow(
                key=lambda records, project: f"project_paid:{project.pk}",
                label=lambda records, project: (
                    _("%(project)s: paid by the end of the year") % {"project": project.name}
                ),
                value=lambda records, project: q2(project.paid),
                url=lambda records, project: admin_url(
                    "admin:governance_contract_changelist", {"project__id__exact": project.pk}
                ),
                unit=YUAN,
            ),
        ),
    ),
    One(
        "council_meetings",
        gettext_lazy("Residents' council meetings"),
        take("council_meetings"),
        between("admin:governance_councilmeeting_changelist", "held_on"),
        counts_records=True,
    ),
    Ledger("cobuild_volunteer", gettext_lazy("Co-building volunteer activities"), Kind.VOLUNTEER),
    Ledger("cobuild_participants", gettext_lazy("Participants"), total="participants"),
)


def _winners_url(records, kind) -> str:
    """The year's winners of one kind of honour ("" when the year has no campaign)."""
    campaign = records["winners"]["campaign"]
    if campaign is None:
        return ""
    params = {
        "campaign__id__exact": campaign,
        "kind__exact": kind,
        "status__exact": Nomination.Status.WINNER,
    }
    return admin_url("admin:governance_nomination_changelist", params)


UNITY = (
    One(
        "minority_residents",
        gettext_lazy("Residents of minority groups"),
        take("people", "minority"),
        link("admin:community_resident_changelist", **CURRENT, ethnicity__gt=HAN),
        counts_records=True,
    ),
    Ledger("unity_activities", gettext_lazy("Ethnic-unity activities"), Kind.ACTIVITY),
    One("pairings", gettext_lazy("Pairings (民族结对帮扶)"), take("pairings", "total"), PAIRINGS),
    One(
        "pairings_contacted",
        gettext_lazy("Pairings with a contact in the year"),
        take("pairings", "reached"),
        PAIRINGS,
    ),
    Each(
        lambda records: Nomination.Kind.choices,
        (
            PerRow(
                key=lambda records, choice: f"honour_{choice[0]}",
                label=lambda records, choice: choice[1],
                value=lambda records, choice: records["winners"]["kinds"].get(choice[0], 0),
                url=lambda records, choice: _winners_url(records, choice[0]),
                counts_records=True,
            ),
        ),
    ),
)

# Each star's figures, by star code.
STARS = {
    "fortress": FORTRESS,
    "safety": SAFETY,
    "jobs": JOBS,
    "harmony": HARMONY,
    "cobuild": COBUILD,
    "unity": UNITY,
}
