"""Residents' request pages: submit (/requests/new/), the success page, track and rate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.middleware import client_ip
from accounts.ratelimit import hit_limit
from community.queries import community_for_request
from governance.forms.requests import RatingForm, RequestForm, TrackForm
from governance.queries.tracking import find_for_tracking, tracked_request
from governance.services.requests import can_rate, rate_request

SUBMITTED_KEY = "hx_request_submitted"
TRACKED_KEY = "hx_request_tracked"
# (attempts, seconds) per client IP or reference; settings.HX_RATE_LIMITS may override them.
REQUEST_LIMITS = {
    "request_submit": (10, 3600),
    "request_track": (20, 600),
    "request_track_reference": (10, 3600),
}


def _limited(scope: str, key: str) -> bool:
    return hit_limit(scope, key, default=REQUEST_LIMITS[scope])


def _community(request):
    community = community_for_request(request)
    if community is None:
        raise Http404
    return community


@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request):
    community = _community(request)
    status, limit_message = 200, ""
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, community=community)
        if _limited("request_submit", client_ip(request)):
            # Keep what was typed, but validate (and decode photos) no more.
            typed = {k: v for k, v in request.POST.items() if k not in ("website", "consent")}
            form = RequestForm(initial=typed, community=community)
            limit_message = _(
                "You have sent many requests in a short time. Please wait a while and try "
                "again, or call the community office."
            )
            status = 429
        elif form.is_valid() and (service_request := form.submit()) is not None:
            request.session[SUBMITTED_KEY] = service_request.reference
            return redirect("governance:request-submitted")
        if status == 200:
            status = 400
    else:
        form = RequestForm(community=community)
    return render(
        request,
        "governance/requests/request_form.html",
        {"form": form, "community": community, "limit_message": limit_message},
        status=status,
    )


@never_cache
def request_submitted(request):
    reference = request.session.get(SUBMITTED_KEY)
    if not reference:
        return redirect("governance:request-new")
    return render(request, "governance/requests/request_submitted.html", {"reference": reference})


@never_cache
@require_http_methods(["GET", "POST"])
def request_track(request):
    community = _community(request)
    form, rating_form, status, limit_message = TrackForm(), None, 200, ""
    action = request.POST.get("action", "lookup")
    if request.method == "POST" and action == "lookup":
        form = TrackForm(request.POST)
        if _limited("request_track", client_ip(request)):
            form = TrackForm(initial={"reference": request.POST.get("reference", "")})
            limit_message = _("Too many attempts. Please wait ten minutes and try again.")
            status = 429
        elif form.is_valid():
            reference = form.cleaned_data["reference"]
            found = None
            if not _limited("request_track_reference", reference):
                found = find_for_tracking(
                    community=community, reference=reference, last4=form.cleaned_data["last4"]
                )
            if found is not None:
                request.session[TRACKED_KEY] = found.pk
                return redirect("governance:request-track")
            form.add_error(
                None,
                _(
                    "No request matches this reference and these 4 digits. Check both and try "
                    "again."
                ),
            )
            status = 404
        else:
            status = 400
    elif request.method == "POST" and action == "forget":
        request.session.pop(TRACKED_KEY, None)
        return redirect("governance:request-track")

    service_request, timeline = None, []
    tracked = request.session.get(TRACKED_KEY)
    if tracked:
        service_request, timeline = tracked_request(community=community, pk=tracked)
    if service_request is not None and can_rate(service_request):
        rating_form = RatingForm()
        if request.method == "POST" and action == "rate":
            rating_form = RatingForm(request.POST)
            if rating_form.is_valid():
                try:
                    rate_request(service_request=service_request, **rating_form.cleaned_data)
                except ValidationError as error:
                    rating_form.add_error(None, error)
                else:
                    messages.success(request, _("Thank you for your rating."))
                    return redirect("governance:request-track")
            status = 400
    context = {
        "form": form,
        "service_request": service_request,
        "timeline": timeline,
        "rating_form": rating_form,
        "limit_message": limit_message,
    }
    return render(request, "governance/requests/request_track.html", context, status=status)
