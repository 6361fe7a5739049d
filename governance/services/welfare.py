"""Jobs and welfare: training registrations and the approval of temporary relief."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Enrollment, Relief, TrainingCourse


@transaction.atomic
def enroll(*, course: TrainingCourse, resident, registered_on: datetime.date) -> Enrollment:
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    if not course.registration_open:
        raise ValidationError(_("Registration for “%(course)s” is closed.") % {"course": course})
    if resident.community_id != course.community_id:
        raise ValidationError(_("The resident does not live in this community."))
    if Enrollment.objects.filter(course=course, resident=resident).exists():
        raise ValidationError(
            _("%(resident)s is already registered for this course.") % {"resident": resident}
        )
    if course.capacity is not None:
        taken = course.enrollments.exclude(status=Enrollment.Status.DROPPED).count()
        if taken >= course.capacity:
            raise ValidationError(
                _("“%(course)s” is full (%(places)d places).")
                % {"course": course, "places": course.capacity}
            )
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
    if relief.status != Relief.Status.APPROVED:
        raise ValidationError(_("Only approved relief can be paid out."))
    relief.status = Relief.Status.PAID
    relief.paid_on = paid_on
    relief.save(update_fields=["status", "paid_on"])
    return relief
