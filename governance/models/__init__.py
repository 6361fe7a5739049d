"""governance models, one module per concern; import them from here."""

from governance.models.council import (
    Council,
    CouncilMeeting,
    CouncilMember,
    Motion,
    MotionObjection,
    MotionOption,
    Vote,
)
from governance.models.disputes import (
    Dispute,
    DisputeParty,
    LegalConsultation,
    MediationSession,
)
from governance.models.honours import HonourCampaign, Nomination, NominationObjection
from governance.models.notices import Notice, NoticeAttachment
from governance.models.projects import (
    BudgetLine,
    Contract,
    Inspection,
    Milestone,
    MilestonePhoto,
    Payment,
    Project,
)
from governance.models.requests import (
    CalendarDay,
    ReferenceCounter,
    RequestCategory,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from governance.models.scores import (
    IndicatorResult,
    LockedChange,
    MonthlyScore,
    QuarterlyAssessment,
)
from governance.models.scoring import (
    Indicator,
    ManualValue,
    ScoringRule,
    VetoEvent,
)
from governance.models.star import Star
from governance.models.unity import Pairing, PairingContact
from governance.models.welfare import Enrollment, JobPlacement, Relief, TrainingCourse
from governance.models.work import (
    StarMember,
    WeeklyTask,
    WeeklyTaskQuerySet,
    WorkLog,
    WorkLogAttachment,
    WorkLogPhoto,
    WorkLogQuerySet,
)

__all__ = [
    "CalendarDay",
    "Dispute",
    "DisputeParty",
    "LegalConsultation",
    "MediationSession",
    "ReferenceCounter",
    "RequestCategory",
    "RequestEvent",
    "RequestPhoto",
    "ServiceRequest",
    "BudgetLine",
    "Contract",
    "Council",
    "CouncilMeeting",
    "CouncilMember",
    "Enrollment",
    "HonourCampaign",
    "Inspection",
    "JobPlacement",
    "Milestone",
    "MilestonePhoto",
    "Motion",
    "MotionObjection",
    "MotionOption",
    "Nomination",
    "NominationObjection",
    "Notice",
    "NoticeAttachment",
    "Pairing",
    "PairingContact",
    "Payment",
    "Project",
    "Relief",
    "TrainingCourse",
    "Vote",
    "Indicator",
    "IndicatorResult",
    "LockedChange",
    "ManualValue",
    "MonthlyScore",
    "QuarterlyAssessment",
    "ScoringRule",
    "VetoEvent",
    "Star",
    "StarMember",
    "WeeklyTask",
    "WeeklyTaskQuerySet",
    "WorkLog",
    "WorkLogAttachment",
    "WorkLogPhoto",
    "WorkLogQuerySet",
]
