from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The kernel: who a back-office user is and what they may see (docs/architecture.md)."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import access, admin_audit, two_factor  # noqa: F401 - signals, admin

        # The logs of the privacy app belong to a community like every domain row.
        access.register_scope(self.apps.get_model("privacy", "AccessLog"), community="community")
        access.register_scope(self.apps.get_model("privacy", "AuditEvent"), community="community")
