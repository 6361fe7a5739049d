from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The kernel: who a back-office user is and what they may see (docs/architecture.md)."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import get_user_model

        from accounts import access, admin_audit, two_factor  # noqa: F401 - signals, admin
        from accounts.names import display_name

        # People appear by their name everywhere a user is shown (accounts/names.py).
        user_model = get_user_model()
        user_model.__str__ = display_name
        user_model.display_name = property(display_name)

        # The logs of the privacy app belong to a community like every domain row.
        access.register_scope(self.apps.get_model("privacy", "AccessLog"), community="community")
        access.register_scope(self.apps.get_model("privacy", "AuditEvent"), community="community")
