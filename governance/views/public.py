"""The residents' public site: thin views over governance.queries.public's read queries."""

import secrets
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.middleware import client_ip
from accounts.ratelimit import hit_limit
from community.queries import community_for_request
from governance.forms.public import ObjectionForm
from governance.models import Nomination, Notice, Star
from governance.queries import caching, public
from governance.services import council as council_services
from governance.services import honours as honour_services

PAGE_SIZE = 12
# Objections per client IP: (attempts, seconds); HX_RATE_LIMITS["objection"] overrides it.
OBJECTION_LIMIT = (5, 3600)


def _objection_limited(request) -> bool:
    """Count one objection per client IP (proxy-aware); True once past OBJECTION_LIMIT."""
    return hit_limit("objection", client_ip(request), default=OBJECTION_LIMIT)


def _too_many(request, target):
    messages.error(
        request,
        _(
            "You have sent many objections in a short time. Please try again later or call the "
            "community office."
        ),
    )
    return redirect(target)


def _receive_objection(request, form, target, object_to):
    """Take a posted objection: a redirect to target once handled, None when the form is invalid.

    A valid one is filed through object_to(name=, phone=, text=, today=) unless the honeypot
    marked it spam; either way the sender is thanked. A ValidationError from object_to (the
    notice closed meanwhile) is shown instead.
    """
    if not form.is_valid():
        return None
    if not form.is_spam:
        try:
            object_to(
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                text=form.cleaned_data["text"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(target)
    messages.success(
        request, _("Thank you. Your objection has been received; the community will answer.")
    )
    return redirect(target)


def _community_or_404(request):
    community = community_for_request(request)
    if community is None:
        raise Http404(_("No community has been set up yet."))
    return community


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
@caching.cached_page()
def home(request):
    """Pinned notices, the six-star wall, activities, project progress, the request button."""
    community = community_for_request(request)
    if community is None:
        # Nothing to cache: a fresh fragment key each time.
        context = {"community": None, "wall": [], "public_version": secrets.token_hex(8)}
        return render(request, "governance/home.html", context)
    # Cached until a shown record changes (governance.queries.caching): the records and, in the
    # template, their rendered HTML per language; the rest of the page stays per request.
    content = SimpleLazyObject(
        lambda: caching.cached_public(community, "home", lambda: public.home_content(community))
    )
    context = {
        "community": community,
        "public_version": caching.public_version(community.pk),
        # Read only when the template's fragment is not cached.
        **{key: SimpleLazyObject(partial(_item, content, key)) for key in public.HOME_CONTENT},
    }
    return render(request, "governance/home.html", context)


def _item(content, key):
    return content[key]


@require_safe
@caching.cached_page(params=("category", "page"))
def notice_list(request):
    community = _community_or_404(request)
    category = request.GET.get("category")
    if category not in Notice.Category.values:
        category = None
    # The list's HTML is cached per page, category and language until a notice changes
    # (governance.queries.caching); the page of notices is read only when it is not.
    page = SimpleLazyObject(
        lambda: _page(request, public.public_notices(community, category=category))
    )
    context = {
        "page_obj": page,
        "page_number": request.GET.get("page", ""),
        "category": category,
        "categories": Notice.Category.choices,
        "public_version": caching.public_version(community.pk),
        "community": community,
    }
    return render(request, "governance/public/notice_list.html", context)


@require_safe
@caching.cached_page()
def notice_detail(request, pk):
    community = _community_or_404(request)
    notice = public.public_notice(community, pk)
    return render(request, "governance/public/notice_detail.html", {"notice": notice})


@require_safe
def activity_list(request):
    community = _community_or_404(request)
    page = _page(request, public.public_activities(community))
    return render(request, "governance/public/activity_list.html", {"page_obj": page})


@require_safe
def star_detail(request, code):
    community = _community_or_404(request)
    star = public.public_star(community, code)
    today = timezone.localdate()
    context = {
        "star": star,
        "page_obj": _page(request, public.public_work_for_star(community, star)),
    }
    if star.code == Star.Code.UNITY:
        context["unity"] = public.unity_figures(community, today=today)
    elif star.code == Star.Code.JOBS:
        context["courses"] = list(public.open_courses(community)[:6])
    elif star.code == Star.Code.COBUILD:
        context["projects"] = list(public.public_projects(community)[:6])
    return render(request, "governance/public/star_detail.html", context)


def _project_context(request, community, pk, *, objection_forms=None):
    project = public.public_project(community, pk)
    today = timezone.localdate()
    decisions = list(public.project_decisions(project, today=today))
    objection_forms = objection_forms or {}
    for motion in decisions:
        motion.notice_open = motion.notice_open_on(today)
        if motion.notice_open:
            motion.objection_form = objection_forms.get(motion.pk) or ObjectionForm(
                prefix=f"m{motion.pk}"
            )
    inspections = list(public.project_inspections(project))
    for inspection in inspections:
        inspection.supervisor_label = public.supervisor_label(inspection)
    return {
        "project": project,
        "lines": list(public.project_budget_lines(project)),
        "milestones": list(public.project_milestones(project)),
        "decisions": decisions,
        "inspections": inspections,
        "variance": project.budget - project.spent,
        "spent_percent": int(project.spent * 100 / project.budget) if project.budget else 0,
    }


@require_safe
def project_detail(request, pk):
    community = _community_or_404(request)
    return render(
        request,
        "governance/public/project_detail.html",
        _project_context(request, community, pk),
    )


@require_POST
def motion_objection(request, pk, motion_id):
    """An objection to a council decision on public notice (公示)."""
    community = _community_or_404(request)
    project = public.public_project(community, pk)
    motion = public.public_motion(project, motion_id)
    if _objection_limited(request):
        return _too_many(request, project)
    form = ObjectionForm(request.POST, prefix=f"m{motion.pk}")
    object_to = partial(council_services.object_to_motion, motion=motion)
    response = _receive_objection(request, form, project, object_to)
    if response is not None:
        return response
    context = _project_context(request, community, pk, objection_forms={motion.pk: form})
    return render(request, "governance/public/project_detail.html", context, status=400)


def _honour_context(request, community, *, year=None, objection_forms=None):
    years = public.honour_years(community)
    if year is None:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = None
    campaign = public.honour_campaign(community, year)
    today = timezone.localdate()
    groups = []
    if campaign is not None:
        notice_open = honour_services.notice_open(campaign, today)
        objection_forms = objection_forms or {}
        rows = list(public.honour_roll(campaign))
        for kind, label in Nomination.Kind.choices:
            entries = [row for row in rows if row.kind == kind]
            for entry in entries:
                entry.label = public.honoured_label(entry)
                if notice_open:
                    entry.objection_form = objection_forms.get(entry.pk) or ObjectionForm(
                        prefix=f"n{entry.pk}"
                    )
            groups.append({"kind": kind, "label": label, "entries": entries})
    else:
        notice_open = False
    return {
        "years": years,
        "campaign": campaign,
        "groups": groups,
        "notice_open": notice_open,
    }


@require_safe
def honour_list(request):
    community = _community_or_404(request)
    return render(
        request, "governance/public/honour_list.html", _honour_context(request, community)
    )


@require_POST
def nomination_objection(request, pk):
    community = _community_or_404(request)
    nomination = get_object_or_404(
        Nomination.objects.select_related("campaign"), pk=pk, campaign__community=community
    )
    form = ObjectionForm(request.POST, prefix=f"n{nomination.pk}")
    target = f"{redirect('governance:honour-list').url}?year={nomination.campaign.year}"
    if _objection_limited(request):
        return _too_many(request, target)
    object_to = partial(honour_services.object_to_nomination, nomination=nomination)
    response = _receive_objection(request, form, target, object_to)
    if response is not None:
        return response
    context = _honour_context(
        request, community, year=nomination.campaign.year, objection_forms={nomination.pk: form}
    )
    return render(request, "governance/public/honour_list.html", context, status=400)
