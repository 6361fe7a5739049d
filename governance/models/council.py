"""The residents' council (居民议事会): members, meetings, motions, votes and public notice.

Procedure: 征集 → 党支部审核 → 会议(签到、法定人数 ≥ 2/3) → 表决 (more than half of
ALL members) → 公示结果 (≥ 5 days, objections welcome) → 执行 (tracked on the project).
The rules live in governance/services/council.py.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models.objections import PublicObjection
from privacy.auditing_queryset import AuditedManager, AuditedQuerySet

MIN_NOTICE_DAYS = 5


class Council(models.Model):
    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="councils",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100, default="居民议事会")
    established_on = models.DateField(_("established on"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("residents' council")
        verbose_name_plural = _("residents' councils")
        ordering = ["community", "id"]

    def __str__(self) -> str:
        return self.name


def member_active_on(day, *, through: str = "") -> Q:
    """Council members who belong to the council on `day` (joined on or before it, not yet
    left); `through` is the lookup that reaches the member ("members" from a council)."""
    prefix = f"{through}__" if through else ""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


class CouncilMemberQuerySet(AuditedQuerySet):
    def active_on(self, day):
        return self.filter(member_active_on(day))


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("council")
    )
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.PROTECT,
        related_name="council_memberships",
        verbose_name=_("resident"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = CouncilMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "resident"],
                condition=Q(left_on__isnull=True),
                name="councilmember_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="councilmember_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return str(self.resident)


class CouncilMeeting(models.Model):
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("council")
    )
    held_on = models.DateField(pgettext_lazy("meeting", "held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        CouncilMember, blank=True, related_name="meetings_attended", verbose_name=_("attendees")
    )
    members_total = models.PositiveSmallIntegerField(
        _("members on the day"),
        default=0,
        help_text=_("Filled in when the sign-in is recorded; the quorum is two thirds of it."),
    )
    attendance_recorded_at = models.DateTimeField(_("sign-in recorded"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["council", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.council} {self.held_on:%Y-%m-%d}"


class MotionQuerySet(AuditedQuerySet):
    def decided(self):
        return self.filter(status__in=[Motion.Status.PASSED, Motion.Status.REJECTED])


class Motion(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ON_AGENDA = "on_agenda", _("Reviewed by the party branch, on the agenda")
        PASSED = "passed", _("Passed")
        REJECTED = "rejected", _("Not passed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Execution(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("Being carried out")
        DONE = "done", _("Carried out")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="motions", verbose_name=_("council")
    )
    project = models.ForeignKey(
        "governance.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motions",
        verbose_name=_("project"),
    )
    meeting = models.ForeignKey(
        CouncilMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    proposer = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions_proposed",
        verbose_name=_("proposed by"),
    )
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    branch_review_note = models.TextField(_("party branch review"), blank=True)
    # The decision, written by decide_motion() and frozen afterwards.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    members_total = models.PositiveSmallIntegerField(_("members"), default=0)
    chosen_option = models.ForeignKey(
        "MotionOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("option chosen"),
    )
    # Public notice of the result (公示).
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    # Execution.
    execution = models.CharField(
        _("execution"), max_length=12, choices=Execution.choices, default=Execution.NOT_STARTED
    )
    execution_note = models.TextField(_("execution report"), blank=True)
    executed_on = models.DateField(_("carried out on"), null=True, blank=True)

    objects = MotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["council", "-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_starts_on__isnull=True)
                | Q(notice_ends_on__gte=models.F("notice_starts_on")),
                name="motion_notice_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.PASSED, self.Status.REJECTED)

    def notice_open_on(self, day) -> bool:
        return bool(self.notice_starts_on and self.notice_starts_on <= day <= self.notice_ends_on)


class MotionOption(models.Model):
    """A choice put to the council, e.g. a material with its price."""

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="options", verbose_name=_("motion")
    )
    label = models.CharField(_("option"), max_length=200)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    unit_price = models.DecimalField(
        _("unit price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(pgettext_lazy("unit of measure", "unit"), max_length=20, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["motion", "id"]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="votes", verbose_name=_("motion")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="votes", verbose_name=_("member")
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    option = models.ForeignKey(
        MotionOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("preferred option"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["motion", "id"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="vote_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class MotionObjection(PublicObjection):
    """An objection raised by a resident during the public notice of a council decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")

    motion = models.ForeignKey(
        Motion, on_delete=models.CASCADE, related_name="objections", verbose_name=_("motion")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")

    class Meta(PublicObjection.Meta):
        verbose_name = _("objection to a council decision")
        verbose_name_plural = _("objections to council decisions")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.motion} · {self.submitted_at:%Y-%m-%d}"
