"""The back office's dispute form: the checks that keep the 调处率 and 化解率 honest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from governance.models import Dispute, DisputeParty


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
        found, accepted, closed = (
            data.get("found_on"),
            data.get("mediation_accepted_on"),
            data.get("closed_on"),
        )
        status, outcome = data.get("status"), data.get("outcome")
        if found and accepted and accepted < found:
            self.add_error(
                "mediation_accepted_on", _("Mediation cannot start before the dispute was found.")
            )
        if found and closed and closed < found:
            self.add_error("closed_on", _("A dispute cannot close before it was found."))
        if status == Dispute.Status.CLOSED:
            if not outcome:
                self.add_error("outcome", _("A closed dispute needs its outcome."))
            if not closed:
                self.add_error("closed_on", _("A closed dispute needs the date it closed."))
        elif outcome or closed:
            self.add_error("status", _("Set the status to closed when recording the outcome."))
        if status == Dispute.Status.MEDIATING and not accepted:
            self.add_error(
                "mediation_accepted_on", _("Enter the date the dispute was accepted for mediation.")
            )
        if data.get("agreement_fulfilled") and not data.get("agreement_signed"):
            self.add_error("agreement_fulfilled", _("Only a signed agreement can be fulfilled."))
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
