from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import scoped
from accounts.portal_date import view_today
from community.elder_mode import ELDER_COOKIE, ELDER_COOKIE_AGE
from community.forms import FindResidentForm, RevealForm
from community.models import Grid, Resident
from community.queries import due_visits as due_visit_list
from community.queries import with_tagged_residents
from community.services import reveal_personal_data


@require_POST
def elder_mode(request):
    """Turn the large-text, high-contrast elder mode (适老化) on or off, remembered in a cookie."""
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("elder") == "1":
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- Back-office registry views (mounted by community.admin under /admin/) ----------------


@never_cache
def reveal_resident(request, object_id, *, model_admin):
    """Show one resident's full ID number and phone to a user holding the permission, once
    a reason is given; the reveal is logged. Other grids' or communities' residents: 404."""
    resident = get_object_or_404(scoped(Resident.objects.all(), request.user), pk=object_id)
    if not request.user.has_perm("community.reveal_personal_data"):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    values = None
    if request.method == "POST" and form.is_valid():
        values = reveal_personal_data(
            user=request.user, resident=resident, reason=form.cleaned_data["reason"]
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Reveal personal data"),
        "resident": resident,
        "form": form,
        "values": values,
    }
    return TemplateResponse(request, "admin/community/resident/reveal.html", context)


def due_visits(request, *, model_admin):
    """The home visits due in the user's grids, most overdue first."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    grids = scoped(Grid.objects.all(), request.user)
    grid = None
    if request.GET.get("grid"):
        grid = get_object_or_404(grids, pk=request.GET["grid"])
    today = view_today()
    households = due_visit_list(request.user, today=today, grid=grid)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    page.object_list = with_tagged_residents(page.object_list, today=today)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Home visits due"),
        "page": page,
        "grids": grids,
        "grid": grid,
        "today": today,
        "show_tags": request.user.has_perm("community.view_sensitive_data"),
    }
    return TemplateResponse(request, "admin/community/visit/due_list.html", context)


def find_resident(request, *, model_admin):
    """Find a resident by full ID number or mobile number sent by POST, so the number never
    travels in a URL (browser history, server access logs). One match opens the record."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = FindResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matches = list(
            scoped(Resident.objects.all(), request.user)
            .filter(**form.cleaned_data["lookup"])
            .values_list("pk", flat=True)[:2]
        )
        if len(matches) == 1:
            return HttpResponseRedirect(reverse("admin:community_resident_change", args=matches))
        form.add_error("term", _("No resident of yours has this number."))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Find a resident by ID number or phone"),
        # An empty form: the page never shows the number that was sent.
        "form": FindResidentForm(),
        "errors": form.errors.get("term", []) if form.is_bound else [],
    }
    return TemplateResponse(request, "admin/community/resident/find.html", context)
