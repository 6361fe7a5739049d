"""The back office's dispute form: input validation; the lifecycle rules are the service's
(governance.services.disputes), shown on the fields they concern."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.models import Dispute, DisputeParty
from governance.services.disputes import lifecycle_errors


class DisputeForm(forms.ModelForm):
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


class DisputePartyForm(forms.ModelForm):
    class Meta:
        model = DisputeParty
        fields = ["role", "resident", "name"]

    def clean(self):
        data = super().clean()
        if not data.get("resident") and not (data.get("name") or "").strip():
            raise ValidationError(_("Pick a resident or write the party's name."))
        return data
