"""Forms of the work ledger and the weekly dispatch (the back office uses them): validation only.

The rules that need other rows (own star, locked months) are the services'
(governance/services/ledger.py);
these forms ask the services before saving so that the editor sees the error on the form.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from governance.models import WeeklyTask, WorkLog, WorkLogAttachment, WorkLogPhoto
from governance.periods import week_start
from governance.services import ledger
from governance.services.locked_months import check_months
from privacy.images import clean_photo

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

REASON_HELP = _(
    "Only for a record of a month whose scores are locked: why it changes (the party "
    "secretary only; the change is logged and the score marked stale)."
)


def reason_field(help_text=REASON_HELP):
    """The optional "reason for the change" a record of a locked month needs (guard_months)."""
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class LockedMonthFormMixin:
    """Adds the "reason for the change" field and checks the locked months before saving.

    The admin sets `actor` (the user) and `community` on the form class.
    """

    actor = None
    community = None

    def touched(self, cleaned_data) -> set:
        raise NotImplementedError

    def star_sets(self, cleaned_data) -> list[set[int]]:
        raise NotImplementedError

    def check_writer(self, star_ids: set[int]) -> None:
        """Whether the actor may keep a record of these stars (the service's rule)."""
        ledger.check_stars(self.actor, star_ids)

    def check_change(self, cleaned_data):
        community = self.instance.community if self.instance.community_id else self.community
        try:
            for star_ids in self.star_sets(cleaned_data):
                self.check_writer(star_ids)
            check_months(
                community=community,
                touched=self.touched(cleaned_data),
                actor=self.actor,
                reason=cleaned_data.get("change_reason", ""),
            )
        except PermissionDenied as error:
            raise ValidationError(str(error), code="permission") from None


class WorkLogForm(LockedMonthFormMixin, forms.ModelForm):
    change_reason = reason_field()

    class Meta:
        model = WorkLog
        fields = [
            "stars",
            "date",
            "kind",
            "title",
            "description",
            "place",
            "participants",
            "households_reached",
            "brochures",
            "online_posts",
            "is_public",
        ]

    def check_writer(self, star_ids):
        author_id = self.instance.author_id if self.instance.pk else None
        ledger.check_entry(self.actor, star_ids, author_id=author_id)

    def star_sets(self, cleaned_data):
        new = {star.id for star in cleaned_data.get("stars") or []}
        if self.instance.pk:
            return [set(self.instance.stars.values_list("id", flat=True)), new]
        return [new]

    def touched(self, cleaned_data):
        return ledger.work_log_touched(
            worklog=self.instance,
            date=cleaned_data["date"],
            star_ids=[star.id for star in cleaned_data["stars"]],
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("stars") and cleaned_data.get("date") and self.actor is not None:
            self.check_change(cleaned_data)
        return cleaned_data


class WeeklyTaskForm(LockedMonthFormMixin, forms.ModelForm):
    change_reason = reason_field()

    class Meta:
        model = WeeklyTask
        fields = [
            "star",
            "week_start",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "outcome",
            "closed_on",
        ]

    def star_sets(self, cleaned_data):
        sets = [{cleaned_data["star"].id}]
        if self.instance.pk:
            sets.append({self.instance.star_id})
        return sets

    def touched(self, cleaned_data):
        touched = {(cleaned_data["star"].id, cleaned_data["due_date"])}
        if self.instance.pk:
            before = WeeklyTask.objects.filter(pk=self.instance.pk).values("star_id", "due_date")
            touched |= {(row["star_id"], row["due_date"]) for row in before}
        return touched

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status == WeeklyTask.Status.DONE and not (cleaned_data.get("outcome") or "").strip():
            self.add_error("outcome", _("Describe the outcome of the task."))
        due, week = cleaned_data.get("due_date"), cleaned_data.get("week_start")
        if due and week and due < week_start(week):
            self.add_error("due_date", _("The due date is before the task's week."))
        if cleaned_data.get("star") and due and self.actor is not None:
            self.check_change(cleaned_data)
        return cleaned_data


class WorkLogPhotoForm(forms.ModelForm):
    """A photo of a ledger entry: the upload is re-encoded and stripped of EXIF here."""

    class Meta:
        model = WorkLogPhoto
        fields = ["image", "alt_text", "order"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            return clean_photo(image)
        return image


class WorkLogAttachmentForm(forms.ModelForm):
    class Meta:
        model = WorkLogAttachment
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile) and upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": MAX_ATTACHMENT_BYTES // 2**20},
                code="too_large",
            )
        return upload
