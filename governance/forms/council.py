from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import CouncilMeeting, CouncilMember, Motion
from governance.models.council import MIN_NOTICE_DAYS
from governance.services import council as council_services


class CouncilMeetingForm(forms.ModelForm):
    """The sign-in: ticked members are recorded by council.record_attendance()."""

    signed_in = forms.ModelMultipleChoiceField(
        label=_("signed in"),
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CouncilMeeting
        fields = ["council", "held_on", "place", "agenda", "minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["signed_in"].queryset = CouncilMember.objects.filter(
                council=self.instance.council
            ).select_related("resident")
            self.fields["signed_in"].initial = list(
                self.instance.attendees.values_list("pk", flat=True)
            )
        else:
            self.fields["signed_in"].help_text = _("Save the meeting first, then tick who came.")


class VoteFormSet(BaseInlineFormSet):
    """New votes go through the council's rules (signed in, once each, before the decision)."""

    def clean(self):
        super().clean()
        motion = self.instance
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if form.instance.pk and not form.has_changed():
                continue
            if motion.is_decided:
                raise ValidationError(_("The motion is decided; its votes can no longer change."))
            if form.instance.pk:
                raise ValidationError(_("A recorded vote cannot be changed."))
            try:
                council_services.check_vote(
                    motion=motion,
                    member=form.cleaned_data["member"],
                    choice=form.cleaned_data["choice"],
                    option=form.cleaned_data.get("option"),
                )
            except ValidationError as error:
                form.add_error(None, error)


class MotionForm(forms.ModelForm):
    class Meta:
        model = Motion
        fields = [
            "council",
            "project",
            "title",
            "description",
            "proposer",
            "proposed_on",
            "execution",
            "execution_note",
            "executed_on",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and {"execution", "executed_on"} & set(self.changed_data):
            try:
                council_services.check_execution(
                    motion=self.instance,
                    execution=cleaned.get("execution"),
                    executed_on=cleaned.get("executed_on"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AgendaForm(forms.Form):
    """The party branch's review: the meeting whose agenda takes the motion, and a note."""

    meeting = forms.ModelChoiceField(label=_("meeting"), queryset=CouncilMeeting.objects.none())
    note = forms.CharField(label=_("party branch review"), widget=forms.Textarea, required=False)

    def __init__(self, motion, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CouncilMeeting.objects.filter(
            council_id=motion.council_id
        ).select_related("council")


class PublishForm(forms.Form):
    starts_on = forms.DateField(label=_("public notice from"))
    days = forms.IntegerField(
        label=_("days on public notice"), min_value=MIN_NOTICE_DAYS, initial=MIN_NOTICE_DAYS
    )

    def __init__(self, motion, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()
