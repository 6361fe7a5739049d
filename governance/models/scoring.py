"""The inputs of the six stars' monthly scores: the rule, indicators, manual values, vetoes.

The arithmetic is governance.score_formula; the results (monthly scores, their
indicator results, the quarterly assessment) are in governance.models.scores.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager

# Default bands: share of the target reached (percent) -> points.
DEFAULT_BANDS = [[100, 100], [90, 80], [80, 60]]


def default_bands():
    return [list(band) for band in DEFAULT_BANDS]


def validate_bands(value):
    """[[threshold %, points], ...]: numbers, thresholds strictly decreasing, points 0..100."""
    message = _(
        "Bands must be a list of [share of target in %, points] pairs, e.g. "
        "[[100, 100], [90, 80], [80, 60]], with the shares decreasing."
    )
    if not isinstance(value, list) or not value:
        raise ValidationError(message, code="bands")
    previous = None
    for band in value:
        if (
            not isinstance(band, list | tuple)
            or len(band) != 2
            or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in band)
        ):
            raise ValidationError(message, code="bands")
        threshold, points = band
        if threshold < 0 or not 0 <= points <= 100:
            raise ValidationError(message, code="bands")
        if previous is not None and threshold >= previous:
            raise ValidationError(message, code="bands")
        previous = threshold


def month_validator(value):
    if value is not None and value.day != 1:
        raise ValidationError(_("Use the first day of the month."), code="month")


class ScoringRule(models.Model):
    """The weights of the monthly score, valid from a month on (the latest one applies)."""

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="scoring_rules",
        verbose_name=_("community"),
    )
    valid_from = models.DateField(
        _("valid from (month)"), validators=[month_validator], help_text=_("First day of a month.")
    )
    weight_objective = models.DecimalField(
        _("weight of the objective part"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    weight_review = models.DecimalField(
        _("weight of the secretary's review"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.20"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    weight_satisfaction = models.DecimalField(
        _("weight of resident satisfaction"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    bonus_cap = models.DecimalField(
        _("largest bonus"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    deduction_per_task = models.DecimalField(
        _("deduction per overdue weekly task"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    deduction_cap = models.DecimalField(
        _("largest deduction"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(0)],
    )
    max_score = models.DecimalField(
        _("highest score"), max_digits=5, decimal_places=2, default=Decimal("110")
    )

    objects = AuditedManager()

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["community", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "valid_from"], name="scoringrule_unique_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%Y-%m}"

    def clean(self):
        total = (
            (self.weight_objective or 0)
            + (self.weight_review or 0)
            + (self.weight_satisfaction or 0)
        )
        if total != 1:
            raise ValidationError(_("The three weights must add up to 1."), code="weights")


class IndicatorQuerySet(CommunityQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Indicator(models.Model):
    """A star's monthly indicator: where its actual comes from, its target, weight and bands."""

    class Source(models.TextChoices):
        LEDGER_COUNT = "ledger_count", _("Number of ledger entries (of a kind)")
        LEDGER_SUM = "ledger_sum", _("Sum of a ledger figure")
        RATE = "rate", _("Rate from another module (%)")
        MANUAL = "manual", _("Value entered by hand")

    class Figure(models.TextChoices):
        PARTICIPANTS = "participants", _("participants")
        HOUSEHOLDS_REACHED = "households_reached", _("households reached")
        BROCHURES = "brochures", _("brochures handed out")
        ONLINE_POSTS = "online_posts", _("online posts")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("community"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("star"),
    )
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    kind = models.CharField(
        _("ledger kind"),
        max_length=20,
        blank=True,
        help_text=_("For ledger sources: count or sum only entries of this kind (empty: all)."),
    )
    figure = models.CharField(
        _("ledger figure"),
        max_length=20,
        choices=Figure.choices,
        blank=True,
        help_text=_("For a sum of a ledger figure."),
    )
    rate_key = models.CharField(
        _("rate"),
        max_length=50,
        blank=True,
        help_text=_("For a rate: the key of the rate another module provides."),
    )
    monthly_target = models.DecimalField(
        _("monthly target"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("For a rate: the target in percent (e.g. 95)."),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    bands = models.JSONField(
        _("bands"),
        default=default_bands,
        validators=[validate_bands],
        help_text=_("[share of target in %, points] pairs, highest first: [[100, 100], [90, 80]]."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["star__order", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="ledger_count")
                | Q(source="ledger_sum", figure__gt="")
                | Q(source="rate", rate_key__gt="")
                | Q(source="manual"),
                name="indicator_source_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.star} · {self.name}"

    def clean(self):
        from governance.models.work import WorkLog

        if self.source == self.Source.LEDGER_SUM and not self.figure:
            raise ValidationError({"figure": _("Choose the ledger figure to add up.")})
        if self.source == self.Source.RATE and not self.rate_key:
            raise ValidationError({"rate_key": _("Choose the rate.")})
        if self.kind and self.kind not in WorkLog.Kind.values:
            raise ValidationError({"kind": _("Unknown ledger kind.")})
        if self.star_id and self.community_id and self.star.community_id != self.community_id:
            raise ValidationError({"star": _("The star belongs to another community.")})


class ManualValue(models.Model):
    """The month's value of an indicator whose source is "entered by hand"."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="manual_values",
        verbose_name=_("indicator"),
        limit_choices_to={"source": Indicator.Source.MANUAL},
    )
    month = models.DateField(_("month"), validators=[month_validator])
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("source of the figure"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("manual indicator value")
        verbose_name_plural = _("manual indicator values")
        ordering = ["-month", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="manualvalue_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}: {self.value}"


class VetoEvent(models.Model):
    """一票否决: an incident that zeroes the star's month and withdraws it for the quarter."""

    class Kind(models.TextChoices):
        SAFETY = "safety", _("Major safety incident")
        MASS = "mass", _("Mass incident")
        UNITY = "unity", _("Ethnic-unity incident")
        DISCIPLINE = "discipline", _("Discipline case")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="veto_events",
        verbose_name=_("community"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.CASCADE,
        related_name="veto_events",
        verbose_name=_("star"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("veto event")
        verbose_name_plural = _("veto events")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
