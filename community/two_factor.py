"""The optional second factor (TOTP through django-otp) for back-office accounts.

A staff member who enrolled a device must enter a code after each login; when the secretary
makes it mandatory for the community (Community.require_two_factor), everybody there must
enrol. The decision is taken once at login and kept in the session (SESSION_FLAG), so no
page pays a query for it.
"""

import time

import segno
from axes.backends import AxesBackend
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from community import roles
from community.access import has_role, home_community
from community.middleware import SEEN_KEY

SESSION_FLAG = "hx_needs_second_factor"


def needs_second_factor(user) -> bool:
    if not user.is_staff:
        return False
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return True
    community = home_community(user)
    return bool(community and community.require_two_factor)


@receiver(user_logged_in)
def _remember_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = needs_second_factor(user)
        request.session[SEEN_KEY] = int(time.time())  # the idle timeout starts now


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    return target


@never_cache
@login_required
def two_factor(request):
    """Enter the code (or enrol a device first, with its QR code)."""
    if not request.user.is_staff:
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("The code is wrong or has expired; enter the current one."))
    context = {"form": form, "enrolling": enrolling, "next": _next(request)}
    if enrolling:
        context["qr"] = mark_safe(segno.make(device.config_url).svg_inline(scale=4))  # noqa: S308
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    community = home_community(request.user)
    context["policy_community"] = (
        community if community and has_role(request.user, roles.SECRETARY) else None
    )
    return render(request, "two_factor.html", context)


@require_POST
@login_required
def two_factor_policy(request):
    """The secretary makes the second factor mandatory (or optional) for the community."""
    community = home_community(request.user)
    if community is None or not has_role(request.user, roles.SECRETARY):
        raise PermissionDenied
    community.require_two_factor = request.POST.get("required") == "1"
    community.save(update_fields=["require_two_factor"])
    return HttpResponseRedirect(_next(request))


# -- login lockout (django-axes) ------------------------------------------------------------


class RequestAwareAxesBackend(AxesBackend):
    """AxesBackend for every login through a page (which always passes the request). A call
    without a request (Django's test Client.login, scripts) cannot be attributed to a client,
    so it skips the lockout check and falls through to the ordinary password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
