"""Notices (公告) to residents: Markdown bodies, categories, pinning, a publication window."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.markdown import render_markdown
from governance.models.base import CommunityQuerySet
from privacy.auditing_queryset import AuditedManager

NOTICE_ATTACHMENT_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment_size(upload):
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_ATTACHMENT_BYTES // 2**20},
            code="too_large",
        )


def _attachment_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"notices/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class NoticeQuerySet(CommunityQuerySet):
    def public(self, now=None):
        """Published, already out and not yet expired; drafts never show."""
        now = now or timezone.now()
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            status=Notice.Status.PUBLISHED,
            publish_at__lte=now,
        )

    def for_listing(self):
        return self.order_by("-pinned", "-publish_at", "-id")


class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Category(models.TextChoices):
        GENERAL = "general", _("Community news")
        POLICY = "policy", _("Policy")
        JOBS = "jobs", _("Jobs and training")
        PROJECT = "project", _("Livelihood projects")
        COUNCIL = "council", _("Residents' council")
        HONOUR = "honour", _("Honours")
        SAFETY = "safety", _("Safety")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("community"),
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.GENERAL
    )
    body = models.TextField(
        _("body"),
        help_text=_("Markdown: **bold**, lists with “- ”, links. Scripts and styles are removed."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        help_text=_("A published notice shows from this moment on."),
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: shown until withdrawn.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-publish_at"], name="notice_public"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:notice-detail", kwargs={"pk": self.pk})

    @property
    def body_html(self) -> str:
        return render_markdown(self.body)


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        validators=[
            FileExtensionValidator(NOTICE_ATTACHMENT_EXTENSIONS),
            validate_attachment_size,
        ],
        help_text=_("PDF, Word, Excel or a picture, at most 10 MB."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = AuditedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["notice", "id"]

    def __str__(self) -> str:
        return self.title
