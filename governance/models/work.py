"""The six stars' work: star teams, the work ledger (台账) and the weekly dispatch (周调度).

Rules (who may write which star's records, locked months, carrying tasks over) live in
governance/services/ledger.py; these are the tables and their named queries.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager

ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "jpg", "png"]


def _photo_path(instance, filename):
    # clean_photo() already gives a random name; the folder keeps the media tree browsable.
    return f"worklogs/photos/{timezone.localdate():%Y/%m}/{filename}"


def _attachment_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"worklogs/files/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class StarMember(models.Model):
    """A star's team: its lead (a member of the two committees, 两委) and its working group."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead (two-committee member)")
        MEMBER = "member", _("Group member")

    star = models.ForeignKey(
        "governance.Star", on_delete=models.CASCADE, related_name="members", verbose_name=_("star")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="star_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("star team member")
        verbose_name_plural = _("star team members")
        ordering = ["star", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["star", "user"], name="starmember_unique"),
            models.UniqueConstraint(
                fields=["star"], condition=Q(role="lead"), name="starmember_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.star} · {self.user} ({self.get_role_display()})"


# The ledger's year list (WorkLogQuerySet.dates) starts here: the portal has no earlier entries.
FIRST_LEDGER_YEAR = 2000


class WorkLogQuerySet(CommunityQuerySet):
    def public(self):
        """What the residents' news feed may show, newest first."""
        return self.filter(is_public=True).order_by("-date", "-id")

    def in_period(self, start: datetime.date, end: datetime.date):
        """Entries dated start <= date < end (a range on the indexed column, never TruncMonth)."""
        return self.filter(date__gte=start, date__lt=end)

    def for_star(self, star):
        return self.filter(stars=star)

    def for_ledger(self):
        return self.select_related("community", "author").prefetch_related("stars")

    def dates(self, field_name, kind, order="ASC"):
        """The years with entries (the admin's date_hierarchy) in one query that probes each
        year from FIRST_LEDGER_YEAR on through the date index, instead of DISTINCT over every
        row (1,000,000 rows at division scale). Months and days: Django's own query."""
        if field_name != "date" or kind != "year":
            return super().dates(field_name, kind, order)
        years = range(FIRST_LEDGER_YEAR, timezone.localdate().year + 2)
        probes = {
            f"y{year}": models.Exists(
                self.filter(
                    date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1)
                )
            )
            for year in years
        }
        row = self.order_by().values(**probes).first()
        found = [datetime.date(year, 1, 1) for year in years if row and row[f"y{year}"]]
        return found[::-1] if order == "DESC" else found


class WorkLog(models.Model):
    """One entry of the work ledger (台账); joint work of two stars (两星合一) counts for both."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        PUBLICITY = "publicity", _("Publicity")
        HOME_VISIT = "home_visit", _("Home-visit campaign")
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        MEDIATION = "mediation", _("Mediation")
        VOLUNTEER = "volunteer", _("Volunteer service")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="work_logs",
        verbose_name=_("community"),
    )
    stars = models.ManyToManyField(
        "governance.Star",
        related_name="work_logs",
        verbose_name=_("stars"),
        help_text=_("Joint work of two stars (两星合一) counts for both."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    households_reached = models.PositiveIntegerField(_("households reached"), default=0)
    brochures = models.PositiveIntegerField(_("brochures handed out"), default=0)
    online_posts = models.PositiveIntegerField(_("online posts"), default=0)
    is_public = models.BooleanField(
        _("show on the public site"),
        default=False,
        help_text=_("Shown in the residents' news feed. Never name residents in public entries."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="work_logs",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work ledger")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["community", "date"], name="worklog_community_date"),
            models.Index(fields=["community", "is_public", "-date"], name="worklog_public"),
            # The division's whole ledger, newest first (the admin for division viewers).
            models.Index(fields=["date", "id"], name="worklog_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class WorkLogPhoto(models.Model):
    """A photo of a ledger entry; privacy.images cleaned it (re-encoded, EXIF removed)."""

    worklog = models.ForeignKey(
        WorkLog, on_delete=models.CASCADE, related_name="photos", verbose_name=_("work log entry")
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_photo_path, blank=True)
    alt_text = models.CharField(
        _("description of the photo"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows, for screen readers."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("work log photo")
        verbose_name_plural = _("work log photos")
        ordering = ["worklog", "order", "id"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class WorkLogAttachment(models.Model):
    """A document behind a ledger entry (minutes, sign-in sheet, report)."""

    worklog = models.ForeignKey(
        WorkLog,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("work log entry"),
    )
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    title = models.CharField(_("title"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("work log attachment")
        verbose_name_plural = _("work log attachments")
        ordering = ["worklog", "id"]

    def __str__(self) -> str:
        return self.title


class WeeklyTaskQuerySet(CommunityQuerySet):
    def for_week(self, week_start: datetime.date):
        return self.filter(week_start=week_start)

    def open(self):
        return self.filter(status__in=WeeklyTask.OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Tasks not finished by their due date (a carried or still open task counts)."""
        return self.exclude(status=WeeklyTask.Status.CANCELLED).filter(
            Q(closed_on__isnull=True, due_date__lt=today) | Q(due_date__lt=models.F("closed_on"))
        )


class WeeklyTask(models.Model):
    """A task of the weekly dispatch (周调度) for one star and one ISO week."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CARRIED = "carried", _("Carried into the next week")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = [Status.OPEN, Status.IN_PROGRESS]

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="weekly_tasks",
        verbose_name=_("community"),
    )
    star = models.ForeignKey(
        "governance.Star",
        on_delete=models.CASCADE,
        related_name="weekly_tasks",
        verbose_name=_("star"),
    )
    week_start = models.DateField(
        _("week"), help_text=_("The Monday of the ISO week the task is dispatched for.")
    )
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="weekly_tasks",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("When the task was done, carried over or cancelled."),
    )
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WeeklyTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("weekly task")
        verbose_name_plural = _("weekly dispatch")
        ordering = ["-week_start", "star", "due_date", "id"]
        indexes = [
            models.Index(fields=["community", "week_start"], name="weeklytask_week"),
            models.Index(fields=["community", "due_date"], name="weeklytask_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"], closed_on__isnull=True)
                | Q(status__in=["done", "carried", "cancelled"], closed_on__isnull=False),
                name="weeklytask_closed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _day = self.week_start.isocalendar()
        return year, week

    def is_overdue(self, today: datetime.date) -> bool:
        if self.status == self.Status.CANCELLED:
            return False
        return self.due_date < (self.closed_on or today)

    def get_week_url(self) -> str:
        year, week = self.iso_week
        return reverse(
            "governance:star-week",
            kwargs={"star_code": self.star.code, "year": year, "week": week},
        )
