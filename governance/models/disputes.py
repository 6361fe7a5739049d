"""Disputes (矛盾纠纷) with their parties and mediation sessions; legal consultations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager


class DisputeQuerySet(CommunityQuerySet):
    def for_list(self):
        return self.select_related("grid", "star", "mediator")


class Dispute(models.Model):
    class Kind(models.TextChoices):
        NEIGHBOUR = "neighbour", _("Neighbours")
        FAMILY = "family", _("Marriage and family")
        PROPERTY = "property", _("Property management")
        LABOUR = "labour", _("Labour and wages")
        LAND = "land", _("Land and housing")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        PATROL = "patrol", _("Grid patrol (排查)")
        VISIT = "visit", _("Home visit")
        RESIDENT = "resident", _("Reported by a resident")
        POLICE = "police", _("Police")
        SUPERIOR = "superior", _("Referred from above")

    class Risk(models.TextChoices):
        RED = "red", _("Red (high)")
        ORANGE = "orange", _("Orange (medium)")
        YELLOW = "yellow", _("Yellow (low)")

    class Status(models.TextChoices):
        FOUND = "found", pgettext_lazy("dispute status", "Found")
        MEDIATING = "mediating", _("In mediation")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved (化解)")
        UNRESOLVED = "unresolved", _("Not resolved (未化解)")
        REFERRED = "referred", _("Referred on (移交)")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "community.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("grid"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("star"),
        help_text=_("Usually the Safety and Rule of Law Star."),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PATROL
    )
    risk_level = models.CharField(
        _("risk level"), max_length=6, choices=Risk.choices, default=Risk.YELLOW
    )
    is_major = models.BooleanField(_("major dispute"), default=False)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mediator"),
    )
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    mediation_accepted_on = models.DateField(_("accepted for mediation on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FOUND
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    agreement_signed = models.BooleanField(_("agreement signed"), default=False)
    agreement_fulfilled = models.BooleanField(_("agreement fulfilled"), default=False)
    agreement = models.TextField(_("agreement"), blank=True)
    service_request = models.ForeignKey(
        "governance.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("from request"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["community", "found_on"], name="dispute_found_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False)
                | ~models.Q(status="closed"),
                name="dispute_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisputeParty(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        OTHER = "other", _("Other party")

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name=_("dispute")
    )
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=100,
        blank=True,
        help_text=_("For a party who is not a resident."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.APPLICANT)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident__isnull=False) | ~models.Q(name=""),
                name="disputeparty_resident_or_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.resident_id)


class MediationSession(models.Model):
    class Result(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reached")
        CONTINUE = "continue", _("To be continued")
        FAILED = "failed", _("No agreement")

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("dispute")
    )
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    place = models.CharField(_("place"), max_length=100, blank=True)
    mediators = models.CharField(_("mediators"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.CONTINUE
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"


class LegalConsultation(models.Model):
    """A legal consultation (法律咨询) given to a resident; counted on its own."""

    class Topic(models.TextChoices):
        FAMILY = "family", _("Marriage and family")
        LABOUR = "labour", _("Labour and wages")
        PROPERTY = "property", _("Property and housing")
        CONTRACT = "contract", _("Contracts and debts")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.PROTECT,
        related_name="legal_consultations",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        "community.Grid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grid"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("star"),
    )
    consulted_on = models.DateField(_("date"), default=timezone.localdate)
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100, blank=True)
    question = models.TextField(_("question"))
    advice = models.TextField(_("advice given"), blank=True)
    adviser = models.CharField(
        _("adviser"), max_length=100, blank=True, help_text=_("e.g. the community legal adviser")
    )
    referred = models.BooleanField(_("referred to legal aid"), default=False)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("legal consultation")
        verbose_name_plural = _("legal consultations")
        ordering = ["-consulted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.consulted_on:%Y-%m-%d} {self.get_topic_display()}"
