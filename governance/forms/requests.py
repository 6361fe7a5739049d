"""Forms of the request pages and of the staff workflow: input validation only."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import community_staff
from community.models import Building, Compound, Grid, Unit
from community.normalize import normalize_identifier
from community.validators import normalize_mobile
from governance.forms.work import reason_field
from governance.models import ServiceRequest, Star
from governance.models.requests import RequestCategory, is_reference, normalise_reference
from governance.services.request_photos import MAX_PHOTOS
from governance.services.requests import submit_request
from privacy.images import clean_photo


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif getattr(error, "code", None) == "reason_required" and "change_reason" in form.fields:
        form.add_error("change_reason", error)  # a locked month's change without its reason
    else:
        form.add_error(None, error)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS images, each cleaned by privacy.images.clean_photo.

    cleaned_data holds the re-encoded ContentFiles; nothing is written to storage here.
    """

    widget = MultiplePhotoInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/*")

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                _("You can add at most %(count)d photos.") % {"count": MAX_PHOTOS},
                code="too_many",
            )
        cleaned, errors = [], []
        for position, upload in enumerate(uploads, start=1):
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("Photo %(position)d (%(name)s): %(problem)s")
                        % {
                            "position": position,
                            "name": (upload.name or "")[:60],
                            "problem": " ".join(error.messages),
                        },
                        code=error.code,
                    )
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


class CompoundSelect(forms.Select):
    """Options carry their parent (data-parent) so static/js/requests.js can narrow them."""

    parent_attr = None

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and self.parent_attr:
            option["attrs"]["data-parent"] = getattr(instance, self.parent_attr)
        return option


class BuildingSelect(CompoundSelect):
    parent_attr = "compound_id"


class UnitSelect(CompoundSelect):
    parent_attr = "building_id"


class RequestForm(forms.Form):
    """The residents' form at /requests/new/."""

    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=RequestCategory.objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": _("Choose what the request is about.")},
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the problem.")},
    )
    compound = forms.ModelChoiceField(
        label=_("Compound"),
        queryset=Compound.objects.none(),
        required=False,
        empty_label=_("Choose…"),
        widget=forms.Select(attrs={"data-place": "compound"}),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=_("Choose…"),
        widget=BuildingSelect(attrs={"data-place": "building"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Choose…"),
        widget=UnitSelect(attrs={"data-place": "unit"}),
    )
    place_text = forms.CharField(
        label=_("Or describe the place"),
        max_length=200,
        required=False,
        help_text=_("e.g. the crossing east of the market, room 301"),
    )
    requester_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We call you about this request; its last 4 digits let you track it."),
        error_messages={"required": _("Enter your mobile number.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photos = PhotosField(
        label=_("Photos (up to 3)"),
        help_text=_("JPEG, PNG or WebP, at most 8 MB each. Location data is removed."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the community uses my phone number and this information to handle "
            "my request."
        ),  # fmt: skip
        help_text=_(
            "Under the Personal Information Protection Law: only the staff handling your request "
            "see your number; it is stored encrypted and shown masked, and it is never published."
        ),
        error_messages={"required": _("Please agree to the use of your personal information.")},
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["category"].queryset = RequestCategory.objects.active()
        self.fields["compound"].queryset = Compound.objects.filter(community=community)
        self.fields["building"].queryset = (
            Building.objects.filter(community=community)
            .select_related("compound")
            .order_by("compound__name", "number")
        )
        self.fields["unit"].queryset = (
            Unit.objects.filter(building__community=community)
            .select_related("building__compound")
            .order_by("building__compound__name", "building__number", "number")
        )
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": "hx-hp-input"}
        )

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"])

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _("This request could not be sent. Please try again."), code="spam"
            )
        return ""

    def clean(self):
        data = super().clean()
        compound, building, unit = data.get("compound"), data.get("building"), data.get("unit")
        if unit and building and unit.building_id != building.pk:
            self.add_error("unit", _("This unit is not in the chosen building."))
        if building and compound and building.compound_id != compound.pk:
            self.add_error("building", _("This building is not in the chosen compound."))
        has_place = compound or building or unit or data.get("place_text", "").strip()
        if not has_place and "place_text" not in self._errors:
            self.add_error("place_text", _("Tell us where: pick a building or describe the place."))
        return data

    def submit(self, **filed_by) -> ServiceRequest | None:
        """File the valid form's request; None when the service refuses it.

        The refusal (too many photos, an inactive category…) is then added to the form's
        errors. filed_by carries what staff add (channel, actor); residents add nothing.
        """
        data = self.cleaned_data
        try:
            return submit_request(
                community=self.community,
                category=data["category"],
                description=data["description"],
                phone=data["phone"],
                consent=data["consent"],
                requester_name=data["requester_name"],
                compound=data["compound"],
                building=data["building"],
                unit=data["unit"],
                place_text=data["place_text"],
                photos=data["photos"],
                **filed_by,
            )
        except ValidationError as error:
            add_service_error(self, error)
            return None


class StaffRequestForm(RequestForm):
    """Staff filing a request for a resident who came in or called."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in ServiceRequest.Channel.choices if c[0] != "web"],
    )

    field_order = ["channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RequestCategory.objects.all()
        self.fields["phone"].label = _("Resident's mobile number")
        self.fields["requester_name"].label = _("Resident's name")
        self.fields["consent"].label = _(
            "The resident agreed that the community uses this information to handle the request."
        )
        del self.fields["website"]

    def clean_website(self):
        return ""

    def submit(self, *, actor) -> ServiceRequest | None:
        """File it as accepted at once, with the channel staff chose."""
        return super().submit(channel=self.cleaned_data["channel"], actor=actor)


# --- public tracking and rating ---------------------------------------------------------


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        help_text=_("Like HX-2024-00151, shown after you sent the request."),
        error_messages={"required": _("Enter the reference.")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    last4 = forms.RegexField(
        label=_("Last 4 digits of your mobile number"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={
            "required": _("Enter the last 4 digits of your mobile number."),
            "invalid": _("Enter exactly 4 digits."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_reference(self):
        reference = normalise_reference(self.cleaned_data["reference"])
        if not is_reference(reference):
            raise ValidationError(
                _("A reference looks like HX-2024-00151."), code="reference_format"
            )
        return reference

    def clean_last4(self):
        # \d also matches full-width digits (１２３４): fold them to the stored ASCII.
        return normalize_identifier(self.cleaned_data["last4"])


class RatingForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes, it is solved")), ("no", _("No, not solved"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Tell us whether the problem is solved.")},
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=ServiceRequest.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- staff workflow ---------------------------------------------------------------------


class WorkflowForm(forms.Form):
    """A workflow step's form: it carries the version of the request it was shown with (the
    id of its last event), which the service checks under the request's row lock."""

    seen_event = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("This form is out of date: open the request again."),
            "invalid": _("This form is out of date: open the request again."),
            "min_value": _("This form is out of date: open the request again."),
        },
    )
    # A step that changes the figures of a month whose scores are locked (an extension of a
    # deadline that passed in it, a rejection, a rating that reopens a request resolved in
    # it) needs the party secretary and this reason (governance.services.request_lifecycle).
    change_reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_reason"] = self.fields.pop("change_reason")  # last on the page


class NoteForm(WorkflowForm):
    note = forms.CharField(
        label=_("Internal note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(WorkflowForm):
    reason = forms.CharField(
        label=_("Reason (shown to the resident)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(NoteForm):
    duplicate_of = forms.CharField(label=_("Reference of the original request"), max_length=20)

    def __init__(self, *args, service_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_request = service_request

    def clean_duplicate_of(self):
        reference = normalise_reference(self.cleaned_data["duplicate_of"])
        original = ServiceRequest.objects.filter(
            community_id=self.service_request.community_id, reference=reference
        ).first()
        if original is None:
            raise ValidationError(_("No request of this community has this reference."))
        return original


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(
        label=_("Grid worker or staff member"), queryset=None, required=False
    )
    star = forms.ModelChoiceField(label=_("Star"), queryset=Star.objects.none(), required=False)
    grid = forms.ModelChoiceField(
        label=_("Grid"),
        queryset=Grid.objects.none(),
        required=False,
        help_text=_("Only to correct the grid taken from the building."),
    )

    def __init__(self, *args, service_request, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = service_request.community_id
        self.fields["assignee"].queryset = community_staff([community_id])
        self.fields["star"].queryset = Star.objects.filter(community_id=community_id)
        self.fields["grid"].queryset = Grid.objects.filter(community_id=community_id)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if not data.get("assignee") and not data.get("star"):
            raise ValidationError(_("Choose a grid worker, a staff member or a star."))
        return data


class ResolveForm(WorkflowForm):
    note = forms.CharField(
        label=_("What was done (shown to the resident)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("Photos (up to 3)"))


class FollowUpForm(WorkflowForm):
    note = forms.CharField(
        label=_("What the resident said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    solved = forms.TypedChoiceField(
        label=_("Solved, says the resident"),
        choices=[("", _("Not asked")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"),
        choices=[("", _("Not asked")), *ServiceRequest.Satisfaction.choices],
        required=False,
    )


class ExtendForm(WorkflowForm):
    working_days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=15)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
