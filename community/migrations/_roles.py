"""Helpers for the data migrations that grant model permissions to the five role groups.

Kept beside the migrations (the loader skips modules starting with "_") so that later
migrations can extend the roles without importing application code.
"""

from django.contrib.auth.management import create_permissions

SECRETARY = "党支部书记"
STAFF = "社区工作人员"
STAR_MEMBER = "星级小组成员"
GRID_WORKER = "网格员"
DIVISION_VIEWER = "师市观察员"
ALL_ROLES = [GRID_WORKER, STAR_MEMBER, STAFF, SECRETARY, DIVISION_VIEWER]


def ensure_permissions(apps):
    """Create the model permissions now: Django would only create them after all migrations."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, grants):
    """grants: {role: {"app_label.model": ["view", "change", ...] or custom codenames}}."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [a if "_" in a else f"{a}_{model}" for a in actions]
            permissions = list(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
            missing = set(codenames) - {p.codename for p in permissions}
            if missing:
                raise RuntimeError(f"Unknown permissions for {label}: {sorted(missing)}")
            group.permissions.add(*permissions)
