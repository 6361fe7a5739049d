from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the back office's own site (config/admin_site.py)."""

    default_site = "config.admin_site.PortalAdminSite"
