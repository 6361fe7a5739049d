"""Jobs and welfare: training registrations and the approval of temporary relief."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Enrollment, Relief, TrainingCourse


def check_enrollment(
    *, course: TrainingCourse, resident, registered_on: datetime.date, pending: int = 0
) -> None:
    """Raise ValidationError unless the resident may register for the course on that day:
    registration is open, the course has not ended by then, the resident lives in the course's
    community, is not registered yet, and a place is left (drop-outs free theirs) once the
    `pending` registrations being added with this one have theirs. A course not saved yet has
    no registrations."""
    if not course.registration_open:
        raise ValidationError(
            _("Registration for “%(course)s” is closed: no resident can be registered.")
            % {"course": course},
            code="closed",
        )
    if course.ends_on is not None and registered_on > course.ends_on:
        raise ValidationError(
            _("“%(course)s” ended on %(day)s: no resident can be registered after it.")
            % {"course": course, "day": course.ends_on},
            code="closed",
        )
    if resident.community_id != course.community_id:
        raise ValidationError(_("The resident does not live in this community."))
    saved = course.pk is not None
    if saved and Enrollment.objects.filter(course=course, resident=resident).exists():
        raise ValidationError(
            _("%(resident)s is already registered for this course.") % {"resident": resident}
        )
    if course.capacity is not None:
        taken = course.enrollments.exclude(status=Enrollment.Status.DROPPED).count() if saved else 0
        if taken + pending >= course.capacity:
            raise ValidationError(
                _("“%(course)s” is full (%(places)d places).")
                % {"course": course, "places": course.capacity}
            )


@transaction.atomic
def enroll(*, course: TrainingCourse, resident, registered_on: datetime.date) -> Enrollment:
    """Register a resident for a course (the rules: check_enrollment, on the course locked)."""
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    check_enrollment(course=course, resident=resident, registered_on=registered_on)
    return Enrollment.objects.create(course=course, resident=resident, registered_on=registered_on)


@transaction.atomic
def decide_relief(
    *, relief: Relief, approve: bool, note: str, user, now: datetime.datetime | None = None
) -> Relief:
    """Approve or reject an application; needs the approve_relief permission.

    `now` is when the decision was taken (default: now), for a decision recorded afterwards.
    """
    if not user.has_perm("governance.approve_relief"):
        raise ValidationError(_("You may not approve or reject relief."))
    if relief.status != Relief.Status.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    if not approve and not note.strip():
        raise ValidationError(_("Give the reason for rejecting the application."))
    relief.status = Relief.Status.APPROVED if approve else Relief.Status.REJECTED
    relief.decided_by = user
    relief.decided_at = now or timezone.now()
    relief.decision_note = note
    relief.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return relief


@transaction.atomic
def mark_relief_paid(*, relief: Relief, paid_on: datetime.date) -> Relief:
    """Record the payout of approved relief on the day it was paid: not before the approval,
    not in the future. Relief not approved (applied, rejected or paid already) is refused."""
    current = Relief.objects.select_for_update().get(pk=relief.pk)
    if current.status != Relief.Status.APPROVED:
        raise ValidationError(
            _("Only approved relief can be paid out; this application is “%(status)s”.")
            % {"status": current.get_status_display()},
            code="not_approved",
        )
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payout cannot be dated in the future."))
    if current.decided_at is not None and paid_on < timezone.localdate(current.decided_at):
        raise ValidationError(
            _("The payout cannot be dated before the approval (%(day)s).")
            % {"day": timezone.localdate(current.decided_at)}
        )
    relief.status = Relief.Status.PAID
    relief.paid_on = paid_on
    relief.save(update_fields=["status", "paid_on"])
    return relief
