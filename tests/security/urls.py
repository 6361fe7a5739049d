"""A URL conf for the 500-page test: the site's URLs plus one view that crashes."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

handler500 = "config.errors.server_error"


def boom(request):
    raise RuntimeError("internal-detail-7f3a")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
