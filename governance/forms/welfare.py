"""Jobs and welfare forms: the relief payout and the course registrations of the back office."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.services import welfare as welfare_services


class PayoutForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"))

    def __init__(self, relief, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class EnrollmentFormSet(BaseInlineFormSet):
    """A registration added on the course's page goes through the course's rules (open, not
    ended, a place left, once per resident): a closed course takes nobody."""

    def clean(self):
        super().clean()
        course = self.instance
        pending = 0
        for form in self.extra_forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed():
                continue
            resident, registered_on = data.get("resident"), data.get("registered_on")
            if resident is None or registered_on is None:
                continue
            try:
                welfare_services.check_enrollment(
                    course=course, resident=resident, registered_on=registered_on, pending=pending
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                pending += 1
