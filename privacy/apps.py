from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data's protection: field encryption, masks, the audit trail and access log,
    encrypted backups (docs/architecture.md, docs/privacy.md)."""

    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from privacy import audit

        audit.connect()
