"""Home visits (走访/入户) to households."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models.places import Community
from community.models.residents import Household, Resident
from privacy.auditing_queryset import AuditedQuerySet


class VisitQuerySet(AuditedQuerySet):
    def with_place(self):
        return self.select_related(
            "household__unit__building__compound",
            "household__building__compound",
            "household__building__grid",
            "resident",
            "visitor",
        )


class Visit(models.Model):
    """A home visit (走访/入户) by a grid worker or other staff."""

    class Purpose(models.TextChoices):
        CARE = "care", _("Care visit (关爱走访)")
        POLICY = "policy", _("Policy publicity (政策宣传)")
        SURVEY = "survey", _("Household survey (入户摸排)")
        FOLLOW_UP = "follow_up", _("Follow-up (回访)")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="visits", verbose_name=_("community")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("household")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("resident met"),
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="visits",
        verbose_name=_("visitor"),
    )
    visited_on = models.DateField(_("visited on"), default=timezone.localdate)
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.CARE
    )
    findings = models.TextField(pgettext_lazy("home visit", "findings"), blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_note = models.TextField(_("follow-up"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "visited_on"], name="visit_household_date")]

    def __str__(self) -> str:
        return f"{self.household} · {self.visited_on:%Y-%m-%d}"
