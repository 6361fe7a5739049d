import os

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.views.static import serve

from accounts import two_factor
from community import views as community_views
from governance.views import public as public_views

handler500 = "config.errors.server_error"
handler403 = "config.errors.permission_denied"

# The audit trail, the access log and staff profiles moved from the community app to the kernel
# apps (docs/architecture.md); their old back-office addresses still arrive.
MOVED_MODELS = {"auditevent": "privacy", "accesslog": "privacy", "staffprofile": "accounts"}


def moved_admin_page(request, model, rest):
    query = request.META.get("QUERY_STRING", "")
    target = f"/admin/{MOVED_MODELS[model]}/{model}/{rest}" + (f"?{query}" if query else "")
    return HttpResponsePermanentRedirect(target)


urlpatterns = [
    path("", public_views.home, name="home"),
    path("", include("governance.urls")),
    path("elder-mode/", community_views.elder_mode, name="elder-mode"),
    path("healthz", community_views.healthz, name="healthz"),
    path("account/two-factor/", two_factor.two_factor, name="two-factor"),
    path("account/two-factor/policy/", two_factor.two_factor_policy, name="two-factor-policy"),
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(
        r"^admin/community/(?P<model>auditevent|accesslog|staffprofile)/(?P<rest>.*)$",
        admin.site.admin_view(moved_admin_page),
        name="admin-moved",
    ),
    path("admin/", admin.site.urls),
]

# Benchmark baseline only (bench/throughput.py): absent unless BENCHMARK_HELLO=1 is set.
if os.environ.get("BENCHMARK_HELLO") == "1":
    from config.benchmark import benchmark_hello, benchmark_hello_session

    urlpatterns += [
        path("benchmark-hello/", benchmark_hello, name="benchmark-hello"),
        path("benchmark-hello-session/", benchmark_hello_session, name="benchmark-hello-session"),
    ]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
