"""Who a back-office account is: its community (a division viewer: several) and work phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.auditing_queryset import AuditedManager


class StaffProfile(models.Model):
    """Binds a back-office account to its community (a division viewer: to several)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    community = models.ForeignKey(
        "community.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("community"),
        help_text=_("The community this account works in (empty for a division viewer)."),
    )
    viewable_communities = models.ManyToManyField(
        "community.Community",
        blank=True,
        related_name="viewer_profiles",
        verbose_name=_("communities viewed"),
        help_text=_("For a division viewer: the communities whose aggregates they may read."),
    )
    phone = models.CharField(_("work phone"), max_length=20, blank=True)

    objects = AuditedManager()

    class Meta:
        db_table = "community_staffprofile"  # made by the community app, kept on the move
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)
