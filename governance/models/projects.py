"""Livelihood projects (民生项目): budget lines, contracts and payments, milestones, inspections.

Figures (spent against budget, variance) are computed in SQL by governance/services/projects.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


def _photo_path(instance, filename):
    return f"projects/photos/{timezone.localdate():%Y/%m}/{filename}"


class ProjectQuerySet(CommunityQuerySet):
    def public(self):
        return self.filter(is_public=True)


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="projects",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(pgettext_lazy("project", "summary"), blank=True)
    compound = models.ForeignKey(
        "community.Compound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("compound"),
    )
    budget = models.DecimalField(_("budget (yuan)"), **MONEY, validators=POSITIVE)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNING
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("show on the public site"),
        default=True,
        help_text=_("Residents see its progress, spending and the council's decisions."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["community", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(finished_on__gte=models.F("started_on")),
                name="project_finishes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:project-detail", kwargs={"pk": self.pk})


class BudgetLine(models.Model):
    """A pain point or work item with its share of the budget (e.g. 给排水改造)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    title = models.CharField(_("pain point or work item"), max_length=200)
    amount = models.DecimalField(_("budgeted (yuan)"), **MONEY, validators=POSITIVE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "title"], name="budgetline_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Contract(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("project")
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("budget line"),
    )
    contractor = models.CharField(_("contractor"), max_length=200)
    title = models.CharField(_("work contracted"), max_length=200)
    amount = models.DecimalField(_("contract amount (yuan)"), **MONEY, validators=POSITIVE)
    signed_on = models.DateField(_("signed on"))

    objects = AuditedManager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["project", "signed_on", "id"]

    def __str__(self) -> str:
        return f"{self.contractor} · {self.title}"


class Payment(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="payments", verbose_name=_("contract")
    )
    amount = models.DecimalField(_("amount paid (yuan)"), **MONEY, validators=POSITIVE)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["contract", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.paid_on} ¥{self.amount}"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "order", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_max"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(progress=100),
                name="milestone_done_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MilestonePhoto(models.Model):
    """A before or after photo; cleaned by privacy.images (re-encoded, EXIF removed)."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="photos", verbose_name=_("milestone")
    )
    stage = models.CharField(_("before or after"), max_length=6, choices=Stage.choices)
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_photo_path, blank=True)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        help_text=_("What the photo shows, for screen readers."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("milestone photo")
        verbose_name_plural = _("milestone photos")
        ordering = ["milestone", "stage", "id"]

    def __str__(self) -> str:
        return self.alt_text


class Inspection(models.Model):
    """A check of the works by a resident supervisor (居民监督员)."""

    class Outcome(models.TextChoices):
        SATISFACTORY = "ok", _("Satisfactory")
        ISSUES = "issues", _("Issues found")
        RECTIFIED = "rectified", _("Issues rectified")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("project")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("milestone"),
    )
    supervisor = models.ForeignKey(
        "community.Resident",
        on_delete=models.PROTECT,
        related_name="project_inspections",
        verbose_name=_("resident supervisor"),
    )
    inspected_on = models.DateField(_("inspected on"))
    findings = models.TextField(_("findings"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    follow_up = models.TextField(_("follow-up"), blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")
        ordering = ["project", "-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.get_outcome_display()}"
