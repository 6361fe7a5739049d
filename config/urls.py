from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from community import views as community_views
from governance.views import public as public_views

admin.site.site_header = _("Hongxing Community “Six-Star” Party Branch Administration")
admin.site.site_title = _("Hongxing Community administration")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("", public_views.home, name="home"),
    path("", include("governance.urls")),
    path("elder-mode/", community_views.elder_mode, name="elder-mode"),
    path("healthz", community_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
