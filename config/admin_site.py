"""The back office's front page, organised by work instead of by model.

Django's admin lists models app by app (46 of them). The community office works by task: the
registry, home visits, requests, the council, projects, each star's own records. PortalAdminSite
regroups the same model entries (Django's own, with their permission checks) into those groups,
each naming the star whose work it is, and adds the pages that are not model lists (the
dashboard, the weekly dispatch, the annual summary, the visits due, the request figures) as
rows of their group. A group whose models the user may not see is not shown; a shortcut is
shown only to a user holding the permission its page checks. The admin's addresses stay
Django's: only the index and the navigation sidebar change (an app's own page,
/admin/<app>/, still lists that app's models).
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.portal_date import view_today

# Strings of Django's admin that Django's zh_Hans catalogue leaves in English (the navigation
# sidebar's table headers for screen readers, the page title of a refused form) or translates
# with English words (a multiple choice's help: "Control", "Command", "Mac"). Marked here so
# `make messages` keeps them in our catalogue, whose translation is merged over Django's.
DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
)

STARS = {
    "fortress": _("Fortress Star"),
    "safety": _("Safety and Rule of Law Star"),
    "jobs": _("Jobs and Enterprise Star"),
    "harmony": _("Happiness and Harmony Star"),
    "cobuild": _("Co-build and Share Star"),
    "unity": _("Ethnic Unity Star"),
}


@dataclass(frozen=True)
class Shortcut:
    """A page of the back office that is not a model list: its name, permission and address."""

    key: str
    name: str
    permission: str
    url_name: str
    kwargs: tuple = ()

    def url(self) -> str:
        today = view_today()
        values = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
        return reverse(self.url_name, kwargs={k: values[k] for k in self.kwargs})


DASHBOARD = Shortcut(
    "dashboard",
    _("Monthly scores (dashboard)"),
    "governance.view_monthlyscore",
    "governance:dashboard",
)
WEEK = Shortcut(
    "week",
    _("This week's dispatch"),
    "governance.view_weeklytask",
    "governance:star-week-current",
)
QUARTER = Shortcut(
    "quarter",
    _("Quarterly assessment"),
    "governance.view_monthlyscore",
    "governance:dashboard-quarter",
    ("year", "quarter"),
)
ANNUAL = Shortcut(
    "annual",
    _("Annual summary"),
    "governance.view_monthlyscore",
    "governance:dashboard-annual",
    ("year",),
)
DUE_VISITS = Shortcut(
    "due-visits", _("Home visits due"), "community.view_visit", "admin:community_visit_due"
)
REQUEST_FIGURES = Shortcut(
    "request-figures",
    _("Request and dispute figures"),
    "governance.view_servicerequest",
    "admin:governance_servicerequest_figures",
)
# The header's links, on every back-office page.
HEADER_SHORTCUTS = [DASHBOARD, WEEK, ANNUAL, DUE_VISITS]


@dataclass(frozen=True)
class WorkGroup:
    key: str
    name: str
    models: tuple[str, ...]
    star: str = ""
    shortcuts: tuple[Shortcut, ...] = field(default=())


WORK_GROUPS = [
    WorkGroup(
        "work",
        _("Six-star work: ledger, weekly dispatch, scores"),
        (
            "governance.worklog",
            "governance.weeklytask",
            "governance.starmember",
            "governance.monthlyscore",
            "governance.quarterlyassessment",
        ),
        shortcuts=(DASHBOARD, WEEK, QUARTER, ANNUAL),
    ),
    WorkGroup(
        "visits",
        _("Home visits"),
        ("community.visit",),
        star="harmony",
        shortcuts=(DUE_VISITS,),
    ),
    WorkGroup(
        "requests",
        _("Residents' requests"),
        ("governance.servicerequest", "governance.requestcategory", "governance.calendarday"),
        shortcuts=(REQUEST_FIGURES,),
    ),
    WorkGroup(
        "registry",
        _("Resident registry"),
        (
            "community.resident",
            "community.household",
            "community.caretag",
            "community.grid",
            "community.compound",
            "community.building",
            "community.unit",
            "community.community",
        ),
    ),
    WorkGroup(
        "disputes",
        _("Disputes and legal aid"),
        ("governance.dispute", "governance.legalconsultation"),
        star="safety",
    ),
    WorkGroup(
        "party",
        _("Party members and volunteers"),
        ("community.partymember", "community.volunteerservice"),
        star="fortress",
    ),
    WorkGroup(
        "jobs",
        _("Training and job placement"),
        ("governance.trainingcourse", "governance.jobplacement"),
        star="jobs",
    ),
    WorkGroup("relief", _("Temporary relief"), ("governance.relief",), star="harmony"),
    WorkGroup(
        "council",
        _("Residents' council"),
        (
            "governance.council",
            "governance.councilmeeting",
            "governance.motion",
            "governance.motionobjection",
        ),
        star="cobuild",
    ),
    WorkGroup(
        "projects",
        _("Livelihood projects"),
        (
            "governance.project",
            "governance.contract",
            "governance.milestone",
            "governance.inspection",
        ),
        star="cobuild",
    ),
    WorkGroup("unity", _("Pairing assistance"), ("governance.pairing",), star="unity"),
    WorkGroup(
        "honours",
        _("Honours and selections"),
        ("governance.honourcampaign", "governance.nomination", "governance.nominationobjection"),
        star="unity",
    ),
    WorkGroup("notices", _("Notices"), ("governance.notice",)),
    WorkGroup(
        "scoring",
        _("Scoring rules"),
        (
            "governance.star",
            "governance.indicator",
            "governance.scoringrule",
            "governance.manualvalue",
            "governance.vetoevent",
            "governance.lockedchange",
        ),
    ),
    WorkGroup(
        "accounts",
        _("Accounts, audit trail and access log"),
        (
            "auth.user",
            "auth.group",
            "accounts.staffprofile",
            "privacy.auditevent",
            "privacy.accesslog",
            "otp_totp.totpdevice",
            "axes.accessattempt",
            "axes.accessfailurelog",
            "axes.accesslog",
        ),
    ),
]


def allowed_shortcuts(user, shortcuts) -> list[dict]:
    """The shortcuts whose page the user may open, as the admin's model rows."""
    return [
        {
            "name": s.name,
            "object_name": s.key,
            "admin_url": s.url(),
            "add_url": None,
            "view_only": True,
            "shortcut": True,
        }
        for s in shortcuts
        if user.is_active and user.is_staff and user.has_perm(s.permission)
    ]


def work_groups(user, apps: list[dict]) -> list[dict]:
    """Django's app list (what the user may see), regrouped by WORK_GROUPS; models no group
    names stay in their app's group, after the others."""
    entries = {
        f"{app['app_label']}.{m['object_name'].lower()}": (m, app)
        for app in apps
        for m in app["models"]
    }
    groups = []
    for group in WORK_GROUPS:
        models = [entries.pop(label)[0] for label in group.models if label in entries]
        if not models:
            continue
        groups.append(
            {
                "name": group.name,
                "app_label": group.key,
                "app_url": f"{reverse('admin:index')}#group-{group.key}",
                "star": STARS.get(group.star, ""),
                "has_module_perms": True,
                "models": [*allowed_shortcuts(user, group.shortcuts), *models],
            }
        )
    for app in apps:
        rest = [
            m for m in app["models"] if f"{app['app_label']}.{m['object_name'].lower()}" in entries
        ]
        if rest:
            groups.append({**app, "models": rest, "star": ""})
    return groups


class PortalAdminSite(admin.AdminSite):
    site_header = _("Hongxing Community “Six-Star” Party Branch Administration")
    site_title = _("Hongxing Community administration")
    index_title = _("Back office")
    index_template = "admin/work_index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps  # an app's own page keeps Django's list
        return work_groups(request.user, apps)

    def each_context(self, request):
        context = super().each_context(request)
        context["header_shortcuts"] = allowed_shortcuts(request.user, HEADER_SHORTCUTS)
        return context
