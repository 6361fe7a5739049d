"""Jobs and welfare: vocational training, job placements and temporary relief (临时救助).

Relief records are never shown on the public site, in any form.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager, AuditedQuerySet


class TrainingCourse(models.Model):
    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="training_courses",
        verbose_name=_("community"),
    )
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    is_public = models.BooleanField(
        _("show on the public site"),
        default=True,
        help_text=_("The course and its number of registrations, never the people."),
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["community", "-starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDING = "attending", _("Attending")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped out")

    course = models.ForeignKey(
        TrainingCourse,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("resident"),
    )
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["course", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "resident"], name="enrollment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.course}"


class JobPlacement(models.Model):
    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="job_placements",
        verbose_name=_("community"),
    )
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.PROTECT,
        related_name="job_placements",
        verbose_name=_("resident"),
    )
    employer = models.CharField(_("employer"), max_length=200)
    position = models.CharField(_("position"), max_length=100, blank=True)
    placed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("job placement")
        verbose_name_plural = _("job placements")
        ordering = ["community", "-placed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.resident} · {self.employer}"


class ReliefQuerySet(AuditedQuerySet):
    def approved(self):
        return self.filter(status__in=[Relief.Status.APPROVED, Relief.Status.PAID])


class Relief(models.Model):
    """Temporary relief (临时救助) for a household in difficulty. Never public."""

    class Kind(models.TextChoices):
        LIVING = "living", _("Basic living")
        MEDICAL = "medical", _("Medical")
        EDUCATION = "education", _("Education")
        DISASTER = "disaster", _("Accident or disaster")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid out")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="reliefs",
        verbose_name=_("community"),
    )
    household = models.ForeignKey(
        "community.Household",
        on_delete=models.PROTECT,
        related_name="reliefs",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reason = models.TextField(_("reason"))
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = ReliefQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary relief")
        verbose_name_plural = _("temporary relief")
        ordering = ["community", "-applied_on", "-id"]
        permissions = [("approve_relief", _("Can approve or reject temporary relief"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="applied") | Q(decided_by__isnull=False),
                name="relief_decision_has_a_decider",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="relief_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_kind_display()}"
