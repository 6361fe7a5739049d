"""The scoring engine's results: monthly scores (月评比) and the quarterly assessment (季考核).

A monthly score keeps the indicator results it was built from, so it can be explained down to
its records; a locked month is changed only by reopening it with a reason (LockedChange). The
inputs (indicators, manual values, veto events, the scoring rule) are in
governance.models.scoring; the arithmetic is governance.score_formula.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.models.base import CommunityQuerySet
from governance.models.scoring import Indicator, month_validator
from privacy.auditing_queryset import AuditedManager


class MonthlyScoreQuerySet(CommunityQuerySet):
    def for_month(self, month):
        return self.filter(month=month)


class MonthlyScore(models.Model):
    """One star's score for one month: S = wO·O + wR·R + wC·C + B − D (0 on a veto)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        LOCKED = "locked", _("Locked")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="monthly_scores",
        verbose_name=_("community"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.CASCADE,
        related_name="monthly_scores",
        verbose_name=_("star"),
    )
    month = models.DateField(_("month"), validators=[month_validator])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    objective = models.DecimalField(
        _("objective part (O)"), max_digits=6, decimal_places=2, default=0
    )
    review = models.DecimalField(
        _("secretary's review (R)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    satisfaction = models.DecimalField(
        _("resident satisfaction (C)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    bonus = models.DecimalField(
        _("bonus (B)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    bonus_reason = models.CharField(_("reason for the bonus"), max_length=300, blank=True)
    overdue_tasks = models.PositiveIntegerField(_("overdue weekly tasks"), default=0)
    deduction = models.DecimalField(_("deduction (D)"), max_digits=5, decimal_places=2, default=0)
    vetoed = models.BooleanField(_("veto"), default=False)
    total = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=0)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    stale = models.BooleanField(
        _("stale"),
        default=False,
        help_text=_("A record behind the score changed after it was calculated."),
    )
    weights = models.JSONField(
        _("weights used"), default=dict, help_text=_("The scoring rule the score was built with.")
    )
    computed_at = models.DateTimeField(_("calculated"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    objects = MonthlyScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["-month", "rank", "star__order"]
        constraints = [
            models.UniqueConstraint(fields=["star", "month"], name="monthlyscore_unique"),
        ]
        indexes = [models.Index(fields=["community", "month"], name="monthlyscore_month")]
        permissions = [
            ("review_monthlyscore", _("Can review monthly star scores")),
            ("lock_monthlyscore", _("Can lock and reopen a month's star scores")),
        ]

    def __str__(self) -> str:
        return f"{self.star} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:score-detail",
            kwargs={"star_code": self.star.code, "month": f"{self.month:%Y-%m}"},
        )

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.LOCKED


class IndicatorResult(models.Model):
    """How one indicator scored in a monthly score: kept so the score stays explainable.

    An indicator without an actual for the month stays in the list, not available, with the
    reason (`missing`), and is left out of the objective part."""

    class Missing(models.TextChoices):
        NO_VALUE = "no_value", _("No value entered for this month.")
        NO_SOURCE = "no_source", _("Not measured: no module computes this rate from the records.")
        NO_CASES = "no_cases", _("No cases this month.")

    score = models.ForeignKey(
        MonthlyScore, on_delete=models.CASCADE, related_name="results", verbose_name=_("score")
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        related_name="results",
        verbose_name=_("indicator"),
    )
    name = models.CharField(_("indicator"), max_length=100)
    source = models.CharField(_("source"), max_length=20, choices=Indicator.Source.choices)
    available = models.BooleanField(_("available"), default=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True)
    numerator = models.PositiveIntegerField(_("numerator"), null=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    share = models.DecimalField(
        _("share of target (%)"), max_digits=10, decimal_places=2, null=True
    )
    band = models.DecimalField(_("band (%)"), max_digits=6, decimal_places=2, null=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    records_url = models.CharField(_("records"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    missing = models.CharField(
        _("why not available"), max_length=10, choices=Missing.choices, blank=True
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["score", "order", "id"]

    def __str__(self) -> str:
        return self.name


class LockedChange(models.Model):
    """A change to a record of a locked month: who made it, why, and which score it touched."""

    score = models.ForeignKey(
        MonthlyScore,
        on_delete=models.CASCADE,
        related_name="locked_changes",
        verbose_name=_("score"),
    )
    record = models.CharField(_("record"), max_length=200)
    action = models.CharField(_("change"), max_length=50)
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: the resident's own step (a rating that reopened a request)."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("change to a locked month")
        verbose_name_plural = _("changes to locked months")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.score}: {self.record}"


class QuarterlyAssessment(models.Model):
    """季考核: the mean of the star's three monthly scores, whether it is lit, and its grade."""

    class Status(models.TextChoices):
        LIT = "lit", _("Lit (亮星)")
        KEPT = "kept", _("Not lit, kept")
        WITHDRAWN = "withdrawn", _("Withdrawn (摘星)")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (90 and above)")
        GOOD = "good", _("Good (80 to 89)")
        FAIR = "fair", _("Fair (70 to 79)")
        PASS = "pass", _("Pass (60 to 69)")
        FAIL = "fail", _("Fail (below 60)")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="quarterly_assessments",
        verbose_name=_("community"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.CASCADE,
        related_name="quarterly_assessments",
        verbose_name=_("star"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    mean_score = models.DecimalField(_("mean score"), max_digits=6, decimal_places=2)
    months_scored = models.PositiveSmallIntegerField(_("months scored"), default=0)
    vetoed = models.BooleanField(_("veto in the quarter"), default=False)
    status = models.CharField(_("result"), max_length=10, choices=Status.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    remarks = models.TextField(_("secretary's remarks"), blank=True)
    stale = models.BooleanField(
        _("stale"),
        default=False,
        help_text=_("A month of the quarter was reopened after the assessment: assess it again."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"), auto_now=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("quarterly assessment")
        verbose_name_plural = _("quarterly assessments")
        ordering = ["-year", "-quarter", "star__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["star", "year", "quarter"], name="quarterlyassessment_unique"
            ),
        ]
        permissions = [("assess_quarterlyassessment", _("Can make the quarterly assessment"))]

    def __str__(self) -> str:
        return f"{self.star} {self.year}Q{self.quarter}"
