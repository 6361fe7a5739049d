"""Ethnic unity (民族团结): pairing assistance (民族结对帮扶) and its contacts.

Unity activities are work-ledger entries (WorkLog) of the unity star; pairings are here.
The contact-rate metric (pairing_contact) lives in governance/services/unity.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager


class PairingQuerySet(CommunityQuerySet):
    def active_between(self, start, end):
        """Pairings running at some point of [start, end)."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start), started_on__lt=end)


class Pairing(models.Model):
    class HelperKind(models.TextChoices):
        PARTY_MEMBER = "party_member", _("Party member")
        HOUSEHOLD = "household", _("Household")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="pairings",
        verbose_name=_("community"),
    )
    helper_kind = models.CharField(_("helper is a"), max_length=12, choices=HelperKind.choices)
    helper_party_member = models.ForeignKey(
        "community.PartyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings",
        verbose_name=_("helping party member"),
    )
    helper_household = models.ForeignKey(
        "community.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pairings_as_helper",
        verbose_name=_("helping household"),
    )
    helped_household = models.ForeignKey(
        "community.Household",
        on_delete=models.PROTECT,
        related_name="pairings_helped",
        verbose_name=_("household helped"),
    )
    started_on = models.DateField(pgettext_lazy("pairing", "started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    goals = models.TextField(_("what the pairing helps with"), blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings (结对帮扶)")
        ordering = ["community", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        helper_kind="party_member",
                        helper_party_member__isnull=False,
                        helper_household__isnull=True,
                    )
                    | Q(
                        helper_kind="household",
                        helper_household__isnull=False,
                        helper_party_member__isnull=True,
                    )
                ),
                name="pairing_one_helper_of_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        helper = self.helper_party_member if self.helper_party_member_id else self.helper_household
        return f"{helper} → {self.helped_household}"


class PairingContact(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Home visit")
        PHONE = "phone", _("Phone or message")
        ACTIVITY = "activity", _("Joint activity")
        HELP = "help", _("Practical help")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("pairing")
    )
    contacted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    help_given = models.TextField(_("help given"))
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
        verbose_name = _("pairing contact")
        verbose_name_plural = _("pairing contacts")
        ordering = ["pairing", "-contacted_on", "-id"]
        indexes = [models.Index(fields=["pairing", "contacted_on"], name="pairingcontact_date")]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_kind_display()}"
