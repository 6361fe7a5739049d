"""Forms of the monthly scores, indicators and the quarterly assessment: validation only."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.forms.work import reason_field
from governance.models import Indicator, ManualValue, MonthlyScore, VetoEvent, WorkLog
from governance.periods import month_start
from governance.queries.indicators import RATE_SOURCES

REASON_FIELD_HELP = _(
    "Only for a month whose scores are locked: why it changes (the party secretary only)."
)


class MonthField(forms.DateField):
    """A month as YYYY-MM (an <input type="month">), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return month_start(day) if day else day


def parse_month(value: str | None) -> datetime.date | None:
    """ "2024-05" -> date(2024, 5, 1); None when it does not parse."""
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()  # noqa: DTZ007
    except ValueError:
        return None


class IndicatorForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("ledger kind"),
        required=False,
        choices=[("", _("All kinds")), *WorkLog.Kind.choices],
        help_text=_("For ledger sources: count or sum only entries of this kind."),
    )
    rate_key = forms.ChoiceField(label=_("rate"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "star",
            "name",
            "source",
            "kind",
            "figure",
            "rate_key",
            "monthly_target",
            "weight",
            "bands",
            "is_active",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(key, source.label) for key, source in RATE_SOURCES.items()]
        current = self.instance.rate_key
        if current and current not in RATE_SOURCES:
            choices.append((current, _("%(key)s (not available)") % {"key": current}))
        self.fields["rate_key"].choices = choices

    def clean(self):
        cleaned_data = super().clean()
        source = cleaned_data.get("source")
        if source == Indicator.Source.LEDGER_SUM and not cleaned_data.get("figure"):
            self.add_error("figure", _("Choose the ledger figure to add up."))
        if source == Indicator.Source.RATE and not cleaned_data.get("rate_key"):
            self.add_error("rate_key", _("Choose the rate."))
        return cleaned_data


class ManualValueForm(forms.ModelForm):
    month = MonthField(label=_("month"))
    change_reason = reason_field(REASON_FIELD_HELP)

    class Meta:
        model = ManualValue
        fields = ["indicator", "month", "value", "note"]


class VetoEventForm(forms.ModelForm):
    change_reason = reason_field(REASON_FIELD_HELP)

    class Meta:
        model = VetoEvent
        fields = ["star", "date", "kind", "description"]


class ReviewForm(forms.Form):
    """The secretary's review of one star's month."""

    review = forms.DecimalField(
        label=_("Review score (R, 0-100)"), min_value=0, max_value=100, decimal_places=2
    )
    satisfaction = forms.DecimalField(
        label=_("Resident satisfaction (C, 0-100)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    bonus = forms.DecimalField(
        label=_("Bonus (B)"),
        min_value=0,
        max_value=10,
        decimal_places=2,
        initial=Decimal(0),
        required=False,
    )
    bonus_reason = forms.CharField(label=_("Reason for the bonus"), max_length=300, required=False)
    comment = forms.CharField(
        label=_("Review comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    @classmethod
    def for_score(cls, score: MonthlyScore, data=None):
        initial = {
            "review": score.review,
            "satisfaction": score.satisfaction,
            "bonus": score.bonus,
            "bonus_reason": score.bonus_reason,
            "comment": score.review_comment,
        }
        return cls(data=data, initial=initial, prefix=f"star{score.star_id}")

    def clean(self):
        cleaned_data = super().clean()
        bonus = cleaned_data.get("bonus") or Decimal(0)
        cleaned_data["bonus"] = bonus
        if bonus > 0 and not (cleaned_data.get("bonus_reason") or "").strip():
            self.add_error("bonus_reason", _("Give the reason for the bonus."))
        return cleaned_data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        max_length=2000,
    )


class QuarterRemarksForm(forms.Form):
    """One remarks box per star; fields are named remarks_<star id>."""

    def __init__(self, *args, stars=(), **kwargs):
        super().__init__(*args, **kwargs)
        for star in stars:
            self.fields[f"remarks_{star.id}"] = forms.CharField(
                label=star.name,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def remarks(self) -> dict[int, str]:
        return {
            int(name.removeprefix("remarks_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("remarks_")
        }
