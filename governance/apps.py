from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Six-star work")

    def ready(self):
        from accounts import access
        from governance.models import (
            Indicator,
            IndicatorResult,
            LockedChange,
            ManualValue,
            MonthlyScore,
            QuarterlyAssessment,
            ScoringRule,
            StarMember,
            VetoEvent,
            WeeklyTask,
            WorkLog,
            WorkLogAttachment,
            WorkLogPhoto,
        )

        access.register_scope(self.get_model("Star"), community="community")
        access.register_scope(StarMember, community="star__community")
        access.register_scope(WorkLog, community="community")
        access.register_scope(WorkLogPhoto, community="worklog__community")
        access.register_scope(WorkLogAttachment, community="worklog__community")
        access.register_scope(WeeklyTask, community="community")
        access.register_scope(ScoringRule, community="community")
        access.register_scope(Indicator, community="community")
        access.register_scope(ManualValue, community="indicator__community")
        access.register_scope(VetoEvent, community="community")
        access.register_scope(MonthlyScore, community="community")
        access.register_scope(IndicatorResult, community="score__community")
        access.register_scope(LockedChange, community="score__community")
        access.register_scope(QuarterlyAssessment, community="community")

        # Requests and disputes (issue 5); the metrics module registers its rate sources.
        from governance.models import disputes as dispute_models
        from governance.models import requests as request_models
        from governance.queries import metrics  # noqa: F401

        for model, community, grid in [
            (request_models.ServiceRequest, "community", "grid"),
            (request_models.RequestEvent, "request__community", "request__grid"),
            (request_models.RequestPhoto, "request__community", "request__grid"),
            (request_models.ReferenceCounter, "community", None),
            (dispute_models.Dispute, "community", "grid"),
            (dispute_models.DisputeParty, "dispute__community", "dispute__grid"),
            (dispute_models.MediationSession, "dispute__community", "dispute__grid"),
            (dispute_models.LegalConsultation, "community", "grid"),
        ]:
            access.register_scope(model, community=community, grid=grid)

        # Notices, projects, council, unity, honours and welfare (issue 6); the unity
        # module registers the pairing_contact rate source.
        from governance.models import council as council_models
        from governance.models import honours as honour_models
        from governance.models import notices as notice_models
        from governance.models import projects as project_models
        from governance.models import unity as unity_models
        from governance.models import welfare as welfare_models
        from governance.services import unity  # noqa: F401

        household_grid = "household__building__grid"
        for model, community, grid in [
            (notice_models.Notice, "community", None),
            (notice_models.NoticeAttachment, "notice__community", None),
            (project_models.Project, "community", None),
            (project_models.BudgetLine, "project__community", None),
            (project_models.Contract, "project__community", None),
            (project_models.Payment, "contract__project__community", None),
            (project_models.Milestone, "project__community", None),
            (project_models.MilestonePhoto, "milestone__project__community", None),
            (project_models.Inspection, "project__community", None),
            (council_models.Council, "community", None),
            (council_models.CouncilMember, "council__community", None),
            (council_models.CouncilMeeting, "council__community", None),
            (council_models.Motion, "council__community", None),
            (council_models.MotionOption, "motion__council__community", None),
            (council_models.Vote, "motion__council__community", None),
            (council_models.MotionObjection, "motion__council__community", None),
            (unity_models.Pairing, "community", "helped_household__building__grid"),
            (
                unity_models.PairingContact,
                "pairing__community",
                "pairing__helped_household__building__grid",
            ),
            (honour_models.HonourCampaign, "community", None),
            (honour_models.Nomination, "campaign__community", None),
            (honour_models.NominationObjection, "nomination__campaign__community", None),
            (welfare_models.TrainingCourse, "community", None),
            (welfare_models.Enrollment, "course__community", f"resident__{household_grid}"),
            (welfare_models.JobPlacement, "community", f"resident__{household_grid}"),
            (welfare_models.Relief, "community", "household__building__grid"),
        ]:
            access.register_scope(model, community=community, grid=grid)

        # The cached public pages follow the records they show (issue 9).
        from governance.queries import caching

        caching.connect()
