"""The back office for residents' requests: the changelist with its queues, the read-only
change page, filing a request for a resident, the lookup by phone, the figures and the
categories (the working-day calendar: governance.admin.calendar).

The change page is read-only: every change goes through a workflow page
(governance.admin._request_actions) calling a step of governance.services.request_workflow,
which writes an event with the actor and the time. The queues are in
governance.admin._request_queues.
"""

import datetime as dt
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import home_community
from accounts.admin_base import CommunityScopedAdmin
from accounts.paginator import EstimatedCountPaginator
from accounts.portal_date import view_now, view_today
from community.models import Grid
from community.queries import public_community
from community.search_privacy import FindByPhoneForm, NoFullNumberInUrlMixin
from governance.admin._request_actions import RequestActionsMixin
from governance.admin._request_queues import QueueFilter, ScopedRelatedFilter, queue_counts
from governance.forms.requests import StaffRequestForm
from governance.models import Star
from governance.models.requests import (
    RequestCategory,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from governance.periods import period_bounds
from governance.queries import metrics
from governance.services.calendar import years_without_schedule
from governance.services.requests import phone_index


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    fields = ["at", "kind", "actor", "from_label", "to_label", "note", "public_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    @admin.display(description=_("from"))
    def from_label(self, obj):
        return RequestEvent.status_label(obj.from_status)

    @admin.display(description=_("to"))
    def to_label(self, obj):
        return RequestEvent.status_label(obj.to_status)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RequestPhotoInline(admin.TabularInline):
    model = RequestPhoto
    fields = ["stage", "uploaded_at", "preview"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def preview(self, obj):
        url = reverse(
            "admin:governance_servicerequest_photo",
            args=[obj.request_id, obj.pk],
        )
        return format_html('<a href="{}"><img src="{}" alt="" class="hx-thumb"></a>', url, url)


def _office_community(user):
    """The community a staff page works in: the user's own (a superuser without one: the public
    site's); nobody else may use it."""
    community = home_community(user) or (public_community() if user.is_superuser else None)
    if community is None:
        raise PermissionDenied
    return community


_LAST4 = re.compile(r"^\d{4}$")
FIND_LIMIT = 50  # the lookup lists at most this many requests, newest first


@admin.register(ServiceRequest)
class ServiceRequestAdmin(RequestActionsMixin, NoFullNumberInUrlMixin, CommunityScopedAdmin):
    list_display = [
        "reference",
        "status_badge",
        "category",
        "compound",
        "grid",
        "star",
        "assignee",
        "channel",
        "submitted_at",
        "due_at",
        "deadline",
    ]
    list_filter = [
        QueueFilter,
        "status",
        ("grid", ScopedRelatedFilter),
        ("star", ScopedRelatedFilter),
        "category",
        "channel",
    ]
    list_select_related = ["category", "compound", "grid", "star", "assignee"]
    search_fields = ["reference", "description", "place_text"]
    search_help_text = _(
        "A reference, words of the description or place, or the phone's last 4 digits. "
        "A full mobile number: “Find by phone”."
    )
    full_number_refused = _(
        "Full mobile numbers and ID numbers are not searched through the address bar, where "
        "browser history and server logs would keep them. Use “Find by phone” on this page; "
        "references, words and the last 4 digits can still be searched here."
    )
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [RequestPhotoInline, RequestEventInline]
    actions = ["accept_selected"]
    change_form_template = "governance/requests/admin_change_form.html"
    change_list_template = "governance/requests/admin_change_list.html"
    fields = [
        "reference",
        "status",
        "category",
        "description",
        "compound",
        "building",
        "unit",
        "place_text",
        "grid",
        "star",
        "assignee",
        "requester_name",
        "masked_phone",
        "channel",
        "submitted_at",
        "due_at",
        "due_provisional",
        "original_due_at",
        "extended_at",
        "resolution_note",
        "reject_reason",
        "duplicate_of",
        "rated_solved",
        "satisfaction",
        "rating_comment",
        "reopen_count",
        "created_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="hx-status hx-status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("deadline"))
    def deadline(self, obj):
        if obj.is_open and obj.due_provisional:
            return format_html(
                '<span class="hx-provisional" title="{}">{}</span>',
                gettext("Counted without the holiday schedule of a year not yet published."),
                gettext("Provisional"),
            )
        if obj.is_open and obj.due_at is not None and obj.due_at < view_now():
            return format_html('<strong class="hx-overdue">{}</strong>', gettext("Overdue"))
        if obj.resolved_at and obj.resolved_at > obj.due_at:
            return gettext("Resolved late")
        return ""

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    def get_partial_search_results(self, request, queryset, search_term):
        # A full mobile number never gets here (NoFullNumberInUrlMixin): it is looked up by
        # POST in find_view. 4 digits also match the phone's last 4 digits.
        found, may_have_duplicates = super().get_partial_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        if _LAST4.match(term):
            found |= queryset.filter(phone_last4=term)
        return found, may_have_duplicates

    def has_delete_permission(self, request, obj=None):
        return False

    # --- custom views ----------------------------------------------------------------------

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/act/<str:action>/",
                wrap(self.action_view),
                name=f"{info}_act",
            ),
            path(
                "<path:object_id>/photo/<int:photo_id>/",
                wrap(self.photo_view),
                name=f"{info}_photo",
            ),
            path("figures/", wrap(self.figures_view), name=f"{info}_figures"),
            path("find/", wrap(self.find_view), name=f"{info}_find"),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id, photo_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        photo = RequestPhoto.objects.filter(request=obj, pk=photo_id).first()
        if photo is None:
            raise Http404
        response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        return response

    def add_view(self, request, form_url="", extra_context=None):
        """Staff file a request for a resident who came in or called."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        community = _office_community(request.user)
        if request.method == "POST":
            form = StaffRequestForm(request.POST, request.FILES, community=community)
            if form.is_valid() and (obj := form.submit(actor=request.user)) is not None:
                self.message_user(
                    request,
                    gettext("Request %(reference)s filed.") % {"reference": obj.reference},
                    messages.SUCCESS,
                )
                return redirect("admin:governance_servicerequest_change", obj.pk)
        else:
            form = StaffRequestForm(community=community)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("File a request for a resident"),
            "form": form,
            "action_label": gettext("File the request"),
            "change_url": reverse("admin:governance_servicerequest_changelist"),
            "multipart": True,
        }
        return TemplateResponse(request, "governance/requests/admin_action.html", context)

    def find_view(self, request):
        """The requests of a full mobile number, sent by POST so that the number never travels
        in a URL; scoped like the changelist (self.get_queryset) and matched on the phone's
        blind index. It mirrors the residents' lookup (community.views.find_resident), which
        writes no access-log entry: it lists the same masked rows the changelist shows.

        The matches are listed on this page, in the answer to the POST, rather than by a
        redirect to the changelist: a redirect would have to carry the number, its blind
        index (a stable pseudonym, still personal data once in access logs and history) or a
        server-side token (more machinery). Answering the POST itself leaks nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FindByPhoneForm(request.POST or None)
        matches = None
        if request.method == "POST" and form.is_valid():
            matches = list(
                self.get_queryset(request)
                .filter(phone_index=phone_index(form.cleaned_data["term"]))
                .order_by("-submitted_at", "-id")[: FIND_LIMIT + 1]
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Find requests by phone"),
            # An empty form: the page never shows the number that was sent.
            "form": FindByPhoneForm(),
            "errors": form.errors.get("term", []) if form.is_bound else [],
            "matches": None if matches is None else matches[:FIND_LIMIT],
            "more": matches is not None and len(matches) > FIND_LIMIT,
            "limit": FIND_LIMIT,
        }
        return TemplateResponse(request, "governance/requests/admin_find.html", context)

    def figures_view(self, request):
        """Requests and disputes for a month, quarter or year: in total, per grid, per star."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        community = _office_community(request.user)
        today = view_today()
        try:
            year = int(request.GET.get("year") or today.year)
            month = int(request.GET["month"]) if request.GET.get("month") else None
            quarter = int(request.GET["quarter"]) if request.GET.get("quarter") else None
            start, end = period_bounds(year, month=month, quarter=quarter)
        except (ValueError, KeyError):
            raise Http404 from None
        grids = dict(Grid.objects.filter(community=community).values_list("id", "name"))
        stars = dict(Star.objects.filter(community=community).values_list("id", "name"))
        figures = {
            key: metrics.request_figures(community=community, start=start, end=end, group_by=key)
            for key in (None, "grid", "star")
        }
        disputes = {
            key: metrics.dispute_figures(community=community, start=start, end=end, group_by=key)
            for key in (None, "grid", "star")
        }
        names = {"grid": grids, "star": stars}
        for key in ("grid", "star"):
            for row in figures[key] + disputes[key]:
                row.name = names[key].get(row.key) or gettext("(none)")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Request and dispute figures"),
            "start": start,
            "end": end - dt.timedelta(days=1),
            "year": year,
            "month": month,
            "quarter": quarter,
            "total": figures[None][0],
            "by_grid": figures["grid"],
            "by_star": figures["star"],
            "dispute_total": disputes[None][0],
            "disputes_by_grid": disputes["grid"],
            "disputes_by_star": disputes["star"],
            "consultations": metrics.legal_consultation_count(
                community=community, start=start, end=end
            ),
            "months": range(1, 13),
            "quarters": range(1, 5),
        }
        return TemplateResponse(request, "governance/requests/admin_figures.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "queue_counts": queue_counts(request.user),
            # The banner: a year deadlines need has no published holiday schedule.
            "years_without_schedule": years_without_schedule(),
        }
        return super().changelist_view(request, extra_context)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "deadline_class", "star_code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["deadline_class", "is_active"]
    search_fields = ["name", "name_en"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "star_code":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[("", "—"), *Star.Code.choices],
                required=False,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Requests keep their category: retire a category by unticking “offered on the form”.
        return False
