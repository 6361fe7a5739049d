"""The optional second factor (TOTP through django-otp) for back-office accounts.

A staff member who enrolled a device must enter a code after each login; when the secretary
makes it mandatory for the community (Community.require_two_factor), everybody there must
enrol, from their very next request on, even in a session opened before the change
(accounts.middleware.SecurityMiddleware sends them to /account/two-factor/).

No page pays a query for it:
- whether the account had an enrolled device is looked up once, at login, and kept in the
  session (SESSION_FLAG);
- the community's rule comes with the user: the backend that loads the logged-in user for
  each request joins it in (get_user, REQUIRED_ATTRIBUTE), so it is always the database's
  current value, in every process, without a cache to invalidate.
"""

import segno
from axes.backends import AxesBackend
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import home_community, is_secretary
from accounts.idle_timeout import mark_seen

# Session: True when the account had an enrolled device at login. (The key's name is older
# than its meaning; a session of an earlier version holding True stays asked for its code.)
SESSION_FLAG = "hx_needs_second_factor"
# On the user loaded for each request: the rule of the user's community (None: no community).
REQUIRED_ATTRIBUTE = "hx_community_requires_second_factor"
_MISSING = object()


def has_enrolled_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@receiver(user_logged_in)
def _remember_second_factor(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = user.is_staff and has_enrolled_device(user)
        mark_seen(request)


def community_requires_second_factor(user) -> bool:
    """The rule of the user's own community (superusers included), as the database has it now."""
    value = getattr(user, REQUIRED_ATTRIBUTE, _MISSING)
    if value is _MISSING:  # a user object loaded some other way: ask the database
        community = home_community(user)
        value = community is not None and community.require_two_factor
    return bool(value)


def second_factor_due(request) -> bool:
    """Must this request's user enter a code (or enrol) before anything else?"""
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        return False
    # The flag is set at every login; a session made some other way (a script) still
    # follows the community's rule.
    enrolled_at_login = request.session.get(SESSION_FLAG, False)
    required = enrolled_at_login or community_requires_second_factor(user)
    return required and not user.is_verified()


def allowed_before_second_factor(path: str) -> bool:
    """The pages a staff member who owes a second factor may still open: enrolling and
    entering the code, logging in and out, the language switch, and static files."""
    if path.startswith(settings.STATIC_URL):
        return True
    return path in {
        reverse("two-factor"),
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("set_language"),
    }


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
    due = second_factor_due(request)
    # Why the page came up in the middle of the work: the community's rule.
    context["required_by"] = (
        community if due and community is not None and community.require_two_factor else None
    )
    # The rule may be changed only by a secretary who is not owing a code: a stolen password
    # alone must not be enough to switch the second factor off.
    context["policy_community"] = (
        community if community and is_secretary(request.user) and not due else None
    )
    return render(request, "two_factor.html", context)


@require_POST
@login_required
def two_factor_policy(request):
    """The secretary makes the second factor mandatory (or optional) for the community."""
    community = home_community(request.user)
    if community is None or not is_secretary(request.user):
        raise PermissionDenied
    if second_factor_due(request):  # the middleware already sends them to the code page
        raise PermissionDenied
    community.require_two_factor = request.POST.get("required") == "1"
    community.save(update_fields=["require_two_factor"])
    return HttpResponseRedirect(_next(request))


# -- login lockout (django-axes) ------------------------------------------------------------


class RequestAwareAxesBackend(AxesBackend):
    """The backend of every login through a page (which always passes the request): the
    lockout check of django-axes, then the ordinary password check. A wrong password ends the
    login here (PermissionDenied: the password is hashed once, not again by ModelBackend, and
    axes counts the failure once). A call without a request (Django's test Client.login,
    scripts) cannot be attributed to a client, so it skips the lockout check and falls
    through to ModelBackend.

    Sessions logged in here load their user through get_user(), with the community's
    second-factor rule joined in (no query of its own)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        # Raises AxesBackendPermissionDenied while the username is locked out here.
        super().authenticate(request, username=username, password=password, **kwargs)
        user = ModelBackend.authenticate(
            self, request, username=username, password=password, **kwargs
        )
        if user is None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(
                **{REQUIRED_ATTRIBUTE: F("staff_profile__community__require_two_factor")}
            ).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
