"""The secretary's dashboard (/dashboard/): the month's scores, review, locking, the quarter.

Thin views: they authorise, read through governance.queries.dashboard and
governance.queries.scores, call the services in governance.services.scoring and render. Staff
only, each user sees their own community.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import community_ids, home_community
from accounts.portal_date import view_today
from community.models import Community
from governance.forms.scoring import QuarterRemarksForm, ReasonForm, ReviewForm, parse_month
from governance.models import MonthlyScore, QuarterlyAssessment, Star
from governance.periods import ONE_WEEK, iso_week_start, next_month, quarter_months
from governance.queries import links, scores
from governance.queries.dashboard import month_dashboard, month_workbook, star_month, week_tasks
from governance.services import scoring
from governance.services.ledger import writes_every_star


def _community_for(request) -> Community | None:
    community = home_community(request.user)
    if community is not None:
        return community
    # A superuser or a division viewer: ?community=<slug> among those they may see.
    allowed = Community.objects.all()
    ids = community_ids(request.user)
    if ids is not None:
        allowed = allowed.filter(id__in=ids)
    slug = request.GET.get("community") or request.session.get("dashboard_community")
    chosen = allowed.filter(slug=slug).first() if slug else None
    chosen = chosen or allowed.order_by("id").first()
    if chosen is not None:
        request.session["dashboard_community"] = chosen.slug
    return chosen


def dashboard_view(permission: str = "governance.view_monthlyscore"):
    """Staff only; binds request.community (the user's community) and checks a permission."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and user.is_active and user.is_staff):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not user.has_perm(permission):
                raise PermissionDenied(permission)  # the 403 page names what is missing
            request.community = _community_for(request)
            if request.community is None:
                raise Http404(_("No community."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _month_or_404(value: str) -> datetime.date:
    month = parse_month(value)
    if month is None:
        raise Http404
    return month


def _star_or_404(request, code: str) -> Star:
    return get_object_or_404(Star.objects.for_community(request.community), code=code)


def _permissions(user) -> dict:
    return {
        "can_recalculate": writes_every_star(user),
        "can_review": user.has_perm("governance.review_monthlyscore"),
        "can_lock": user.has_perm("governance.lock_monthlyscore"),
        "can_assess": user.has_perm("governance.assess_quarterlyassessment"),
    }


@dashboard_view()
def month_view(request):
    today = view_today()
    month = parse_month(request.GET.get("month")) or today.replace(day=1)
    data = month_dashboard(community=request.community, month=month, today=today)
    quarter = (month.month - 1) // 3 + 1
    return render(
        request,
        "governance/dashboard/month.html",
        {
            **data,
            **_permissions(request.user),
            "community": request.community,
            "quarter": quarter,
            "reopen_form": ReasonForm(),
        },
    )


def _back_to_month(month: datetime.date):
    return redirect(f"{reverse('governance:dashboard')}?month={month:%Y-%m}")


@require_POST
@dashboard_view()
def recalculate(request, month):
    month = _month_or_404(month)
    if not writes_every_star(request.user):
        raise PermissionDenied
    scoring.compute_month(community=request.community, month=month)
    messages.success(
        request, _("The scores of %(month)s were calculated.") % {"month": f"{month:%Y-%m}"}
    )
    return _back_to_month(month)


@require_POST
@dashboard_view("governance.lock_monthlyscore")
def lock(request, month):
    month = _month_or_404(month)
    try:
        scoring.lock_month(community=request.community, month=month, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(month)s is locked.") % {"month": f"{month:%Y-%m}"})
    return _back_to_month(month)


@require_POST
@dashboard_view("governance.lock_monthlyscore")
def reopen(request, month):
    month = _month_or_404(month)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the month."))
        return _back_to_month(month)
    try:
        scoring.reopen_month(
            community=request.community,
            month=month,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(month)s is open again.") % {"month": f"{month:%Y-%m}"})
    return _back_to_month(month)


@dashboard_view()
def export(request, month):
    month = _month_or_404(month)
    data = month_dashboard(community=request.community, month=month, today=view_today())
    content = month_workbook(community=request.community, data=data)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"scores-{request.community.slug}-{month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dashboard_view()
def score_detail(request, month, star_code):
    month = _month_or_404(month)
    star = _star_or_404(request, star_code)
    score, results, changes = star_month(community=request.community, star=star, month=month)
    form = None
    can_review = request.user.has_perm("governance.review_monthlyscore")
    suggestion = None
    if score is not None and can_review and not score.is_locked:
        form = ReviewForm.for_score(score, data=request.POST if request.method == "POST" else None)
        suggestion = scores.suggested_satisfaction(
            community=request.community, star=star, month=month
        )
        if score.satisfaction is None and suggestion[0] is not None:
            form.initial["satisfaction"] = suggestion[0]
        if request.method == "POST" and form.is_valid():
            try:
                scoring.review_score(
                    score=score,
                    actor=request.user,
                    review=form.cleaned_data["review"],
                    satisfaction=form.cleaned_data["satisfaction"],
                    bonus=form.cleaned_data["bonus"],
                    bonus_reason=form.cleaned_data["bonus_reason"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        field = "comment" if name == "review_comment" else name
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The review of %(star)s for %(month)s is saved.")
                    % {"star": star.name, "month": f"{month:%Y-%m}"},
                )
                return redirect(score.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied("governance.review_monthlyscore")
    return render(
        request,
        "governance/dashboard/score_detail.html",
        {
            "community": request.community,
            "star": star,
            "month": month,
            "score": score,
            "results": results,
            "changes": changes,
            "form": form,
            "suggestion": suggestion,
            "overdue_url": links.overdue_tasks_url(star.id, start=month, end=next_month(month)),
            "veto_url": links.veto_url(star.id, start=month, end=next_month(month)),
        },
    )


@dashboard_view("governance.view_weeklytask")
def star_week(request, star_code, year, week):
    try:
        start = iso_week_start(year, week)
    except ValueError:
        raise Http404 from None
    star = _star_or_404(request, star_code)
    today = view_today()
    tasks = week_tasks(community=request.community, star=star, week=start)
    for task in tasks:
        task.overdue_now = task.is_overdue(today)
    previous = (start - ONE_WEEK).isocalendar()
    following = (start + ONE_WEEK).isocalendar()
    return render(
        request,
        "governance/dashboard/week.html",
        {
            "community": request.community,
            "star": star,
            "stars": Star.objects.for_community(request.community).order_by("order", "id"),
            "year": year,
            "week": week,
            "start": start,
            "end": start + datetime.timedelta(days=6),
            "tasks": tasks,
            "overdue_count": sum(1 for task in tasks if task.overdue_now),
            "previous": {"year": previous.year, "week": previous.week},
            "following": {"year": following.year, "week": following.week},
        },
    )


@dashboard_view("governance.view_weeklytask")
def current_week(request):
    """The weekly dispatch of this week (the demo's week when PORTAL_TODAY is set), for the
    user's own star, else the community's first star."""
    stars = Star.objects.for_community(request.community).order_by("order", "id")
    star = stars.filter(members__user=request.user).first() or stars.first()
    if star is None:
        raise Http404
    year, week, _weekday = view_today().isocalendar()
    return redirect("governance:star-week", star_code=star.code, year=year, week=week)


@dashboard_view()
def quarter_view(request, year, quarter):
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise Http404
    rows = scores.quarter_rows(community=request.community, year=year, quarter=quarter)
    saved = {
        a.star_id: a
        for a in QuarterlyAssessment.objects.filter(
            community=request.community, year=year, quarter=quarter
        ).select_related("assessed_by")
    }
    can_assess = request.user.has_perm("governance.assess_quarterlyassessment")
    stars = [row.star for row in rows]
    initial = {f"remarks_{sid}": a.remarks for sid, a in saved.items()}
    form = QuarterRemarksForm(
        request.POST if request.method == "POST" else None, stars=stars, initial=initial
    )
    if request.method == "POST":
        if not can_assess:
            raise PermissionDenied("governance.assess_quarterlyassessment")
        if form.is_valid():
            try:
                scoring.assess_quarter(
                    community=request.community,
                    year=year,
                    quarter=quarter,
                    actor=request.user,
                    remarks=form.remarks(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The quarterly assessment is saved."))
                return redirect("governance:dashboard-quarter", year=year, quarter=quarter)
    for row in rows:
        row.saved = saved.get(row.star.id)
        row.remarks_field = form[f"remarks_{row.star.id}"]
    return render(
        request,
        "governance/dashboard/quarter.html",
        {
            "community": request.community,
            "year": year,
            "quarter": quarter,
            "months": quarter_months(year, quarter),
            "rows": rows,
            "form": form,
            "can_assess": can_assess,
            "lit_count": sum(1 for row in rows if row.status == QuarterlyAssessment.Status.LIT),
            "any_stale": any(a.stale for a in saved.values()),
            "Status": QuarterlyAssessment.Status,
            "MonthlyScore": MonthlyScore,
        },
    )
