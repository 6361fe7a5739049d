"""The two append-only logs: the audit trail and the personal-data access log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """Append-only record of every reveal, export and import of personal data."""

    class Action(models.TextChoices):
        REVEAL = "reveal", _("Revealed")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")

    community = models.ForeignKey(
        "community.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("records of"), max_length=50)
    object_ids = models.JSONField(_("record ids"), default=list)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    fields = models.JSONField(_("fields"), default=list)
    reason = models.TextField(_("reason"))

    class Meta:
        db_table = "community_accesslog"  # made by the community app, kept on the move
        verbose_name = _("personal-data access log")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"


class AuditEvent(models.Model):
    """The audit trail (privacy/audit.py): who did what to which record, when, from where.
    Personal data never enters it: records holding it keep only the names of changed fields."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")
        REVEAL = "reveal", _("Revealed")
        EXPORT = "export", _("Exported")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGOUT = "logout", _("Logged out")
        DENIED = "denied", _("Refused")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("records of"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    community = models.ForeignKey(
        "community.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("community"),
    )

    class Meta:
        db_table = "community_auditevent"  # made by the community app, kept on the move
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_record"),
            models.Index(fields=["actor", "at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"
