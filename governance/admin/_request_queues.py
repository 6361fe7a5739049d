"""The queues of the request back office: changelist filters (new, mine, overdue, open, to follow
up; by grid, by star) and the counts shown on the queue links."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from accounts.portal_date import view_now
from governance.models import StarMember
from governance.models.requests import ServiceRequest

Status = ServiceRequest.Status


def mine_q(user) -> Q:
    """Open requests given to the user, or to a star whose team they are on (no one named)."""
    # The user's stars as a subquery, not a join through the members (which repeats a
    # request once per member and needs DISTINCT).
    return Q(status__in=ServiceRequest.OPEN_STATUSES, assignee=user) | Q(
        status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
        assignee__isnull=True,
        star__in=StarMember.objects.filter(user=user).values("star"),
    )


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("new", _("New (to accept)")),
            ("mine", _("Mine")),
            ("overdue", _("Overdue")),
            ("open", _("All open")),
            ("to_follow_up", _("To follow up")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "new":
            return queryset.filter(status=Status.SUBMITTED)
        if value == "mine":
            return queryset.filter(mine_q(request.user))
        if value == "overdue":
            return queryset.overdue(view_now())
        if value == "open":
            return queryset.open()
        if value == "to_follow_up":
            return queryset.filter(status=Status.RESOLVED)
        return queryset


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-field filter listing only the user's own community's (and grids') rows."""

    def field_choices(self, field, request, model_admin):
        rows = scoped(field.related_model._default_manager.all(), request.user)
        return [(row.pk, str(row)) for row in rows]


def queue_counts(user) -> dict[str, int]:
    """How many requests are new, the user's and overdue, in the user's scope."""
    now = view_now()
    # All three counts are of open requests: only those rows are read (at division scale a
    # third of 100,000).
    base = scoped(ServiceRequest.objects.open(), user)
    return base.aggregate(
        new=Count("id", filter=Q(status=Status.SUBMITTED)),
        mine=Count("id", filter=mine_q(user)),
        overdue=Count("id", filter=Q(status__in=ServiceRequest.OPEN_STATUSES, due_at__lt=now)),
    )
