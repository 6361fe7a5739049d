from django.urls import path, re_path

from governance.views import annual as annual_views
from governance.views import dashboard as dashboard_views
from governance.views import public as public_views
from governance.views import requests as request_views

app_name = "governance"

urlpatterns: list = [
    # Each concern adds its routes here, e.g. path("notices/", ...).
    path("requests/new/", request_views.request_new, name="request-new"),
    path("requests/sent/", request_views.request_submitted, name="request-submitted"),
    path("requests/track/", request_views.request_track, name="request-track"),
    # The residents' public site.
    path("notices/", public_views.notice_list, name="notice-list"),
    path("notices/<int:pk>/", public_views.notice_detail, name="notice-detail"),
    path("activities/", public_views.activity_list, name="activity-list"),
    path("stars/<slug:code>/", public_views.star_detail, name="star-detail"),
    path("projects/<int:pk>/", public_views.project_detail, name="project-detail"),
    path(
        "projects/<int:pk>/decisions/<int:motion_id>/object/",
        public_views.motion_objection,
        name="motion-objection",
    ),
    path("honours/", public_views.honour_list, name="honour-list"),
    path(
        "honours/nominations/<int:pk>/object/",
        public_views.nomination_objection,
        name="nomination-objection",
    ),
    # The secretary's dashboard.
    path("dashboard/", dashboard_views.month_view, name="dashboard"),
    path("dashboard/weeks/", dashboard_views.current_week, name="star-week-current"),
    path(
        "dashboard/weeks/<slug:star_code>/<int:year>/<int:week>/",
        dashboard_views.star_week,
        name="star-week",
    ),
    path(
        "dashboard/quarters/<int:year>/<int:quarter>/",
        dashboard_views.quarter_view,
        name="dashboard-quarter",
    ),
    # The annual summary.
    path("dashboard/annual/<int:year>/", annual_views.annual_view, name="dashboard-annual"),
    path(
        "dashboard/annual/<int:year>/export.xlsx",
        annual_views.annual_export,
        name="dashboard-annual-export",
    ),
    re_path(
        r"^dashboard/(?P<month>\d{4}-\d{2})/recalculate/$",
        dashboard_views.recalculate,
        name="dashboard-recalculate",
    ),
    re_path(
        r"^dashboard/(?P<month>\d{4}-\d{2})/lock/$", dashboard_views.lock, name="dashboard-lock"
    ),
    re_path(
        r"^dashboard/(?P<month>\d{4}-\d{2})/reopen/$",
        dashboard_views.reopen,
        name="dashboard-reopen",
    ),
    re_path(
        r"^dashboard/(?P<month>\d{4}-\d{2})/export\.xlsx$",
        dashboard_views.export,
        name="dashboard-export",
    ),
    re_path(
        r"^dashboard/(?P<month>\d{4}-\d{2})/(?P<star_code>[-\w]+)/$",
        dashboard_views.score_detail,
        name="score-detail",
    ),
]
