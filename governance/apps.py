from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HOUSEHOLD_GRID = "household__building__grid"

# Who may see a record (accounts.access): model -> (path to its community, path to its grid or
# None when the record is community-wide and grid workers see it whole).
SCOPES = {
    "Star": ("community", None),
    "StarMember": ("star__community", None),
    "WorkLog": ("community", None),
    "WorkLogPhoto": ("worklog__community", None),
    "WorkLogAttachment": ("worklog__community", None),
    "WeeklyTask": ("community", None),
    "ScoringRule": ("community", None),
    "Indicator": ("community", None),
    "ManualValue": ("indicator__community", None),
    "VetoEvent": ("community", None),
    "MonthlyScore": ("community", None),
    "IndicatorResult": ("score__community", None),
    "LockedChange": ("score__community", None),
    "QuarterlyAssessment": ("community", None),
    "ServiceRequest": ("community", "grid"),
    "RequestEvent": ("request__community", "request__grid"),
    "RequestPhoto": ("request__community", "request__grid"),
    "ReferenceCounter": ("community", None),
    "Dispute": ("community", "grid"),
    "DisputeParty": ("dispute__community", "dispute__grid"),
    "MediationSession": ("dispute__community", "dispute__grid"),
    "LegalConsultation": ("community", "grid"),
    "Notice": ("community", None),
    "NoticeAttachment": ("notice__community", None),
    "Project": ("community", None),
    "BudgetLine": ("project__community", None),
    "Contract": ("project__community", None),
    "Payment": ("contract__project__community", None),
    "Milestone": ("project__community", None),
    "MilestonePhoto": ("milestone__project__community", None),
    "Inspection": ("project__community", None),
    "Council": ("community", None),
    "CouncilMember": ("council__community", None),
    "CouncilMeeting": ("council__community", None),
    "Motion": ("council__community", None),
    "MotionOption": ("motion__council__community", None),
    "Vote": ("motion__council__community", None),
    "MotionObjection": ("motion__council__community", None),
    "Pairing": ("community", f"helped_{HOUSEHOLD_GRID}"),
    "PairingContact": ("pairing__community", f"pairing__helped_{HOUSEHOLD_GRID}"),
    "HonourCampaign": ("community", None),
    "Nomination": ("campaign__community", None),
    "NominationObjection": ("nomination__campaign__community", None),
    "TrainingCourse": ("community", None),
    "Enrollment": ("course__community", f"resident__{HOUSEHOLD_GRID}"),
    "JobPlacement": ("community", f"resident__{HOUSEHOLD_GRID}"),
    "Relief": ("community", HOUSEHOLD_GRID),
}


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Six-star work")

    def ready(self):
        from accounts import access

        for name, (community, grid) in SCOPES.items():
            access.register_scope(self.get_model(name), community=community, grid=grid)

        # The metrics, registry-rate and unity modules register their indicators' rate sources
        # on import; the cached public pages follow the records they show.
        from governance.queries import (  # noqa: F401
            caching,
            metrics,
            registry_rates,
            unity,
        )

        caching.connect()
        # The registry's visits and volunteer hours feed the months' figures: frozen with them.
        from community import frozen_months
        from governance.services.locked_months import (
            guard_registry_change,
            guard_registry_changes,
        )

        frozen_months.register_guard(guard_registry_change, guard_registry_changes)
        from governance import checks  # noqa: F401  (the holiday schedule's system check)
