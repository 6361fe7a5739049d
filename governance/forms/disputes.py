"""The back office's dispute form: input validation; the lifecycle rules are the service's
(governance.services.disputes), shown on the fields they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.models import Resident
from community.search import resident_by_number
from governance.forms.locked import LockedFiguresFormMixin, reason_field
from governance.models import Dispute, DisputeParty
from governance.services.disputes import dispute_touched, lifecycle_errors


class DisputeForm(LockedFiguresFormMixin, forms.ModelForm):
    """A dispute counted in a locked month's figures changes only with the secretary's
    reason (governance.services.disputes)."""

    change_reason = reason_field()

    class Meta:
        model = Dispute
        fields = [
            "title",
            "description",
            "kind",
            "source",
            "risk_level",
            "is_major",
            "grid",
            "star",
            "mediator",
            "found_on",
            "mediation_accepted_on",
            "status",
            "outcome",
            "closed_on",
            "agreement_signed",
            "agreement_fulfilled",
            "agreement",
            "service_request",
        ]

    def clean(self):
        data = super().clean()
        errors = lifecycle_errors(
            status=data.get("status"),
            outcome=data.get("outcome"),
            found_on=data.get("found_on"),
            mediation_accepted_on=data.get("mediation_accepted_on"),
            closed_on=data.get("closed_on"),
            agreement_signed=bool(data.get("agreement_signed")),
            agreement_fulfilled=bool(data.get("agreement_fulfilled")),
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        return data

    def touched(self, instance):
        return dispute_touched(instance)


class UnechoedInput(forms.TextInput):
    """A text box that never writes back what was typed (a full ID or mobile number)."""

    def format_value(self, value):
        return None


class DisputePartyForm(forms.ModelForm):
    """A party: a resident picked from the editor's own list, a resident of another grid named
    by their full ID or mobile number (an exact match, so a grid worker never browses another
    grid's residents), or the name of somebody who is not a resident.

    The admin sets `community_residents`: the residents of the editor's communities, every grid.
    """

    community_residents = Resident.objects.none()

    party_number = forms.CharField(
        label=_("ID or mobile number"),
        required=False,
        max_length=30,
        widget=UnechoedInput(attrs={"autocomplete": "off", "size": 20}),
        help_text=_("For a resident of another grid: their full ID or mobile number."),
    )

    class Meta:
        model = DisputeParty
        fields = ["role", "resident", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("resident")
        if field is not None and self.instance.resident_id:
            # The party already named stays pickable (only that one), wherever they live.
            field.queryset = field.queryset | Resident.objects.filter(pk=self.instance.resident_id)

    def clean(self):
        data = super().clean()
        number = (data.get("party_number") or "").strip()
        if number:
            if data.get("resident"):
                raise ValidationError(_("Pick a resident or enter a number, not both."))
            try:
                data["resident"] = resident_by_number(self.community_residents, number)
            except ValidationError as error:
                self.add_error("party_number", error)
                return data
            if data["resident"] is None:
                self.add_error(
                    "party_number",
                    _("No resident of the community has this number; write the party's name."),
                )
                return data
        if not data.get("resident") and not (data.get("name") or "").strip():
            raise ValidationError(_("Pick a resident or write the party's name."))
        return data
