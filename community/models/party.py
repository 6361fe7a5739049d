"""Party members (resident or in-service) and hours of volunteer service."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models.places import Community, Grid
from community.models.residents import Resident
from privacy.auditing_queryset import AuditedManager
from privacy.crypto import EncryptedTextField
from privacy.masks import mask_phone


class PartyMember(models.Model):
    """A party member: a resident of the community, or an in-service member (在职党员) from
    elsewhere who registers with the community (双报到)."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident member")
        IN_SERVICE = "in_service", _("In-service member (在职党员)")

    class Status(models.TextChoices):
        FULL = "full", _("Full member")
        PROBATIONARY = "probationary", _("Probationary member")
        MOBILE = "mobile", _("Mobile member (流动党员)")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="party_members",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESIDENT)
    resident = models.OneToOneField(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_member",
        verbose_name=_("resident"),
    )
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=50,
        blank=True,
        help_text=_("For a member who is not a resident."),
    )
    phone = EncryptedTextField(_("phone"), blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.FULL
    )
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    home_branch = models.CharField(_("home party branch"), max_length=100, blank=True)
    dual_registered_on = models.DateField(
        _("dual registration date (双报到)"), null=True, blank=True
    )
    grid = models.ForeignKey(
        Grid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("grid served"),
    )
    skills = models.TextField(_("skills"), blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["community", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident__isnull=False) | ~models.Q(name=""),
                name="partymember_has_person",
                violation_error_message=_("Choose a resident or enter a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.resident.name if self.resident_id else "")

    def set_phone(self, value: str) -> None:
        self.phone = value
        self.phone_masked = mask_phone(value)


class VolunteerService(models.Model):
    """Hours of volunteer service (志愿服务) by a resident or a party member."""

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="volunteer_services",
        verbose_name=_("community"),
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_services",
        verbose_name=_("resident"),
    )
    party_member = models.ForeignKey(
        PartyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_services",
        verbose_name=_("party member"),
    )
    activity = models.CharField(_("activity"), max_length=200)
    served_on = models.DateField(_("served on"), default=timezone.localdate)
    hours = models.DecimalField(
        pgettext_lazy("volunteer service", "hours"), max_digits=5, decimal_places=1
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer services")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident__isnull=False) | models.Q(party_member__isnull=False),
                name="volunteerservice_has_person",
                violation_error_message=_("Choose a resident or a party member."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="volunteerservice_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.activity
