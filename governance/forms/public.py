"""Forms residents fill in on the public site."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.validators import normalize_mobile


class ObjectionForm(forms.Form):
    """An objection during a public notice (公示): name, optional phone, the objection."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only the community office sees it, to answer you."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    text = forms.CharField(
        label=_("Your objection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A field people never see: bots fill it in, and such posts are dropped.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        return normalize_mobile(phone)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise ValidationError(_("Please describe your objection in a few words."))
        return text

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
