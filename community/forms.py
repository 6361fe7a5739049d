"""Forms of the registry: input validation only (the rules live in validators.py, and for a
home visit in services.check_visit).

Protected values (ID numbers, phones) are never put back into a form: the input starts
empty, the help text shows the masked value, and a blank input keeps what is stored.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.forms import ExportForm

from community import frozen_months
from community.models import Household, PartyMember, Resident, Visit
from community.queries import find_same_id_number
from community.search import protected_lookup
from community.services import check_visit
from community.validators import (
    birth_date_from_id,
    check_id_number_matches,
    gender_from_id,
    normalize_id_number,
    normalize_mobile,
    normalize_phone,
)

KEEP_HELP = _("Stored: %(masked)s. Leave empty to keep it.")


def _keep_help(field: forms.Field, masked: str) -> None:
    if masked:
        field.help_text = KEEP_HELP % {"masked": masked}


class ResidentForm(forms.ModelForm):
    id_number_entry = forms.CharField(
        label=_("ID number"),
        required=False,
        max_length=30,
        help_text=_("18 characters; a 15-digit legacy number is converted."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone_entry = forms.CharField(
        label=_("phone"),
        required=False,
        max_length=30,
        help_text=_("A mobile number, or a landline number with its area code (0991-2345678)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    class Meta:
        model = Resident
        fields = [
            "household",
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "relation_to_head",
            "political_status",
            "residency_type",
            "moved_in",
            "moved_out",
            "notes",
        ]

    def __init__(self, *args, parent_household: Household | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_household = parent_household
        if "gender" in self.fields:
            # May come from the ID number; clean() insists on one or the other.
            self.fields["gender"].required = False
        if "id_number_entry" in self.fields:
            _keep_help(self.fields["id_number_entry"], self.instance.id_number_masked)
        if "phone_entry" in self.fields:
            _keep_help(self.fields["phone_entry"], self.instance.phone_masked)

    def clean_id_number_entry(self):
        value = self.cleaned_data.get("id_number_entry", "")
        return normalize_id_number(value) if value.strip() else ""

    def clean_phone_entry(self):
        # A resident without a mobile may give a landline with its area code.
        value = self.cleaned_data.get("phone_entry", "")
        return normalize_phone(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        id_number = cleaned.get("id_number_entry")
        birth_date = cleaned.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", _("The birth date is in the future."))
        if id_number:
            for name, error in check_id_number_matches(
                id_number, birth_date=birth_date, gender=cleaned.get("gender")
            ).items():
                if name in self.fields:
                    self.add_error(name, error)
            if not birth_date and "birth_date" not in self.errors:
                cleaned["birth_date"] = birth_date_from_id(id_number)
                self.instance.birth_date = cleaned["birth_date"]
            if not cleaned.get("gender"):
                cleaned["gender"] = gender_from_id(id_number)
            self._check_unique(id_number)
        elif "gender" in self.fields and not cleaned.get("gender"):
            self.add_error("gender", _("Enter the gender or the ID number."))
        return cleaned

    def _check_unique(self, id_number: str) -> None:
        household = self.cleaned_data.get("household") or self.parent_household
        community_id = getattr(household, "community_id", None) or self.instance.community_id
        if not community_id:
            return
        other = find_same_id_number(
            community_id=community_id, id_number=id_number, exclude_pk=self.instance.pk
        )
        if other is not None:
            self.add_error(
                "id_number_entry",
                ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This ID number is already registered:"),
                        other.get_absolute_url(),
                        other.name,
                    ),
                    code="duplicate",
                ),
            )

    def save(self, commit=True):
        resident = super().save(commit=False)
        household = resident.household if resident.household_id else self.parent_household
        if household is not None and household.community_id:
            resident.community_id = household.community_id
        if self.cleaned_data.get("id_number_entry"):
            resident.set_id_number(self.cleaned_data["id_number_entry"])
        if self.cleaned_data.get("phone_entry"):
            resident.set_phone(self.cleaned_data["phone_entry"])
        if commit:
            resident.save()
            self._save_m2m()
        return resident


class ResidentInlineFormSet(BaseInlineFormSet):
    """Gives each resident form its household, for the duplicate-ID check."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "parent_household": self.instance}


class HouseholdForm(forms.ModelForm):
    contact_phone_entry = forms.CharField(
        label=_("contact phone"),
        required=False,
        max_length=30,
        help_text=_("A mobile number, or a landline number with its area code (0991-2345678)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    class Meta:
        model = Household
        fields = ["building", "unit", "door_number", "head", "is_low_income", "is_zero_employment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "contact_phone_entry" in self.fields:
            _keep_help(self.fields["contact_phone_entry"], self.instance.contact_phone_masked)

    def clean_contact_phone_entry(self):
        # A household without a mobile may give a landline with its area code.
        value = self.cleaned_data.get("contact_phone_entry", "")
        return normalize_phone(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        building, unit, head = cleaned.get("building"), cleaned.get("unit"), cleaned.get("head")
        if building is not None:
            # The household belongs to its building's community.
            self.instance.community_id = building.community_id
            if unit is not None and unit.building_id != building.pk:
                self.add_error("unit", _("The unit is not in this building."))
        if head is not None and self.instance.pk and head.household_id != self.instance.pk:
            self.add_error("head", _("The head of household must live in this household."))
        return cleaned

    def save(self, commit=True):
        household = super().save(commit=False)
        if self.cleaned_data.get("contact_phone_entry"):
            household.set_contact_phone(self.cleaned_data["contact_phone_entry"])
        if commit:
            household.save()
            self._save_m2m()
        return household


class PartyMemberForm(forms.ModelForm):
    phone_entry = forms.CharField(label=_("phone"), required=False, max_length=20)

    class Meta:
        model = PartyMember
        fields = [
            "kind",
            "resident",
            "name",
            "status",
            "joined_on",
            "work_unit",
            "home_branch",
            "dual_registered_on",
            "grid",
            "skills",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone_entry" in self.fields:
            _keep_help(self.fields["phone_entry"], self.instance.phone_masked)

    def clean_phone_entry(self):
        value = self.cleaned_data.get("phone_entry", "")
        return normalize_mobile(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        kind, resident = cleaned.get("kind"), cleaned.get("resident")
        if kind == PartyMember.Kind.RESIDENT and resident is None:
            self.add_error("resident", _("Choose the resident."))
        if kind == PartyMember.Kind.IN_SERVICE and not cleaned.get("name") and resident is None:
            self.add_error("name", _("Enter the member's name."))
        if resident is not None:
            self.instance.community_id = resident.community_id
        return cleaned

    def save(self, commit=True):
        member = super().save(commit=False)
        if self.cleaned_data.get("phone_entry"):
            member.set_phone(self.cleaned_data["phone_entry"])
        if commit:
            member.save()
            self._save_m2m()
        return member


class VisitForm(forms.ModelForm):
    """A visit counted in a month whose scores are locked changes only with the party
    secretary's reason (community.frozen_months); the admin sets `actor` on the form class."""

    actor = None
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for a record of a month whose scores are locked: why it changes (the party "
            "secretary only; the change is logged and the score marked stale)."
        ),
    )

    class Meta:
        model = Visit
        fields = [
            "household",
            "resident",
            "visited_on",
            "purpose",
            "findings",
            "follow_up_needed",
            "follow_up_note",
        ]

    def clean(self):
        """The visit rules are the service's (community.services.check_visit): its errors
        are shown on the fields they name."""
        cleaned = super().clean()
        household = cleaned.get("household")
        try:
            check_visit(
                household=household,
                resident=cleaned.get("resident"),
                visited_on=cleaned.get("visited_on"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        if household is not None:
            self.instance.community_id = household.community_id
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.actor is None or self._errors:
            return
        try:
            frozen_months.guard(
                record=self.instance,
                community_id=self.instance.community_id,
                before=frozen_months.visit_facts(frozen_months.stored(self.instance)),
                after=frozen_months.visit_facts(self.instance),
                actor=self.actor,
                reason=self.cleaned_data.get("change_reason", ""),
                check_only=True,
            )
        except PermissionDenied as error:
            self.add_error(None, str(error))
        except ValidationError as error:
            self.add_error("change_reason", error)


class FindResidentForm(forms.Form):
    term = forms.CharField(
        label=_("ID number or mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_term(self):
        lookup = protected_lookup(self.cleaned_data["term"])
        if lookup is None:
            raise ValidationError(_("Enter a full ID number or a full mobile number."))
        self.cleaned_data["lookup"] = lookup
        return ""  # the number itself is not kept


class GivenReasonMixin:
    """A logged access needs a reason of a few words (at least four characters)."""

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 4:
            raise ValidationError(_("Describe the reason in a few words."))
        return reason


class RevealForm(GivenReasonMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you need the full values; the reason is logged with your name."),
    )


class ReasonExportForm(GivenReasonMixin, ExportForm):
    """django-import-export's export form with the reason the access log records."""

    reason = forms.CharField(
        label=_("Reason for the export"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Logged with your name and the records exported."),
    )


class VolunteerCorrectionForm(GivenReasonMixin, forms.Form):
    """The correction of verified volunteer hours: the corrected values and why."""

    activity = forms.CharField(label=_("activity"), max_length=200)
    served_on = forms.DateField(label=_("served on"))
    hours = forms.DecimalField(
        label=_("hours served"), max_digits=5, decimal_places=1, min_value=Decimal("0.1")
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the record's history with your name."),
    )

    def __init__(self, service, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {"activity": service.activity, "served_on": service.served_on, "hours": service.hours},
        )
        super().__init__(*args, **kwargs)
