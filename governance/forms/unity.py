"""The pairing's back-office form and its contacts' formset: a pairing or contact counted in a
locked month changes only with the secretary's reason (governance.services.unity)."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet

from governance.forms.locked import LockedFiguresFormMixin, reason_field
from governance.models import Pairing
from governance.services import unity
from governance.services.locked_months import check_months


class PairingForm(LockedFiguresFormMixin, forms.ModelForm):
    change_reason = reason_field()

    class Meta:
        model = Pairing
        fields = [
            "community",
            "helper_kind",
            "helper_party_member",
            "helper_household",
            "helped_household",
            "started_on",
            "ended_on",
            "goals",
        ]

    def touched(self, instance):
        return unity.pairing_touched(instance)


class PairingContactFormSet(BaseInlineFormSet):
    """The contacts of a pairing: those added, changed or deleted in a locked month need the
    reason given on the pairing's form (the field `change_reason`) and the secretary."""

    actor = None

    def clean(self):
        super().clean()
        if self.actor is None or any(self.errors):
            return
        touched = set()
        for form in self.forms:
            if form in self.deleted_forms and form.instance.pk:
                touched |= unity.contact_touched(form.instance, deleted=True)
            elif form.has_changed() and form not in self.deleted_forms:
                touched |= unity.contact_touched(form.instance)
        if not touched:
            return
        try:
            check_months(
                community=self.instance.community_id,
                touched=touched,
                actor=self.actor,
                reason=self.data.get("change_reason", ""),
            )
        except PermissionDenied as error:
            raise ValidationError(str(error), code="locked_month") from None
