from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Contract, MilestonePhoto
from privacy.images import clean_photo, make_thumbnail


class MilestonePhotoForm(forms.ModelForm):
    """Every upload is re-encoded by clean_photo() (EXIF/GPS removed, random name)."""

    class Meta:
        model = MilestonePhoto
        fields = ["stage", "image", "alt_text"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return clean_photo(image)
        return image

    def save(self, commit=True):
        photo = super().save(commit=False)
        if "image" in self.changed_data and self.cleaned_data.get("image"):
            photo.thumbnail = make_thumbnail(self.cleaned_data["image"])
        if commit:
            photo.save()
        return photo


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["project", "budget_line", "contractor", "title", "amount", "signed_on"]

    def clean(self):
        cleaned = super().clean()
        project, line = cleaned.get("project"), cleaned.get("budget_line")
        if project and line and line.project_id != project.pk:
            self.add_error(
                "budget_line",
                _("“%(line)s” is a budget line of another project.") % {"line": line},
            )
        return cleaned
