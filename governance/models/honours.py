"""Yearly honours (好家庭/好邻居/好楼栋/好单元): nominations, review, public notice, winners.

The rules (notice period of at least five days, objections settled before winners are
confirmed) live in governance/services/honours.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models.objections import PublicObjection
from privacy.auditing_queryset import AuditedManager, AuditedQuerySet


class HonourCampaign(models.Model):
    class Stage(models.TextChoices):
        NOMINATING = "nominating", _("Taking nominations")
        REVIEWING = "reviewing", _("Under review")
        NOTICE = "notice", _("Public notice")
        CLOSED = "closed", _("Winners confirmed")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="honour_campaigns",
        verbose_name=_("community"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.NOMINATING
    )
    family_places = models.PositiveSmallIntegerField(_("model families"), default=12)
    neighbour_places = models.PositiveSmallIntegerField(_("model neighbours"), default=12)
    building_places = models.PositiveSmallIntegerField(_("model buildings"), default=6)
    unit_places = models.PositiveSmallIntegerField(_("model units"), default=6)
    notice_starts_on = models.DateField(_("public notice from"), null=True, blank=True)
    notice_ends_on = models.DateField(_("public notice until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("winners confirmed at"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("honours campaign")
        verbose_name_plural = _("honours campaigns")
        ordering = ["community", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="honourcampaign_one_a_year"),
            models.CheckConstraint(
                condition=Q(notice_starts_on__isnull=True)
                | Q(notice_ends_on__gte=models.F("notice_starts_on")),
                name="honourcampaign_notice_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def places(self, kind: str) -> int:
        return {
            Nomination.Kind.FAMILY: self.family_places,
            Nomination.Kind.NEIGHBOUR: self.neighbour_places,
            Nomination.Kind.BUILDING: self.building_places,
            Nomination.Kind.UNIT: self.unit_places,
        }[kind]


class NominationQuerySet(AuditedQuerySet):
    def with_nominee(self):
        return self.select_related(
            "household__head",
            "household__building__compound",
            "resident__household__building__compound",
            "building__compound",
            "unit__building__compound",
        )


class Nomination(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", _("Model family")
        NEIGHBOUR = "neighbour", _("Model neighbour")
        BUILDING = "building", _("Model building")
        UNIT = "unit", _("Model unit")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        REJECTED = "rejected", _("Not selected")
        WINNER = "winner", _("Winner")

    campaign = models.ForeignKey(
        HonourCampaign,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(_("honour"), max_length=10, choices=Kind.choices)
    household = models.ForeignKey(
        "community.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("household"),
    )
    resident = models.ForeignKey(
        "community.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("resident"),
    )
    building = models.ForeignKey(
        "community.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        "community.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("unit"),
    )
    citation = models.TextField(
        _("citation"),
        help_text=_("Shown publicly: what they did. Never health, ethnicity or hardship details."),
    )
    nominated_by = models.CharField(_("nominated by"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["campaign", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="family",
                        household__isnull=False,
                        resident__isnull=True,
                        building__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        kind="neighbour",
                        resident__isnull=False,
                        household__isnull=True,
                        building__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        kind="building",
                        building__isnull=False,
                        household__isnull=True,
                        resident__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        kind="unit",
                        unit__isnull=False,
                        household__isnull=True,
                        resident__isnull=True,
                        building__isnull=True,
                    )
                ),
                name="nomination_nominee_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.nominee}"

    def clean(self):
        """The nominee is of the honour's kind (the check constraint's rule, said in words on
        the form): a household for a model family, a resident for a model neighbour, a
        building or a unit for theirs, and nobody else besides."""
        super().clean()
        field = NOMINEE_FIELDS.get(self.kind)
        named = [name for name in NOMINEE_FIELDS.values() if getattr(self, f"{name}_id")]
        if field is not None and named != [field]:
            raise ValidationError(
                {
                    "kind": _("A “%(honour)s” nominates a %(nominee)s: fill in that only.")
                    % {
                        "honour": self.get_kind_display(),
                        "nominee": self._meta.get_field(field).verbose_name,
                    }
                }
            )

    @property
    def nominee(self):
        return self.household or self.resident or self.building or self.unit


class NominationObjection(PublicObjection):
    """An objection raised during the public notice of the shortlist."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: nomination withdrawn")
        DISMISSED = "dismissed", _("Dismissed")

    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("nomination"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")

    class Meta(PublicObjection.Meta):
        verbose_name = _("objection to a nomination")
        verbose_name_plural = _("objections to nominations")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.submitted_at:%Y-%m-%d}"


# The field naming the nominee of each kind of honour (Nomination.clean, the check constraint).
NOMINEE_FIELDS = {
    Nomination.Kind.FAMILY: "household",
    Nomination.Kind.NEIGHBOUR: "resident",
    Nomination.Kind.BUILDING: "building",
    Nomination.Kind.UNIT: "unit",
}
