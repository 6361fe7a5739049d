"""The residents' council's rules.

- Quorum: at least two thirds of the council's members on the day have signed in.
- A motion passes when MORE THAN HALF OF ALL MEMBERS (not of those present) vote for it.
- Only members present at the meeting vote; each once.
- The result is posted publicly (公示) for at least MIN_NOTICE_DAYS days; residents may object.
- Execution is tracked on the motion and shown on its project's page.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import (
    CouncilMeeting,
    CouncilMember,
    Motion,
    MotionObjection,
    MotionOption,
    Notice,
    Vote,
)
from governance.models.council import MIN_NOTICE_DAYS


def quorum_needed(members_total: int) -> int:
    """The smallest attendance that is at least two thirds of the members (integers only)."""
    return -(-2 * members_total // 3)


def has_quorum(*, present: int, members_total: int) -> bool:
    return members_total > 0 and 3 * present >= 2 * members_total


def passes(*, votes_for: int, members_total: int) -> bool:
    """More than half of all members voted for."""
    return members_total > 0 and 2 * votes_for > members_total


@dataclass(frozen=True)
class Attendance:
    present: int
    members_total: int

    @property
    def needed(self) -> int:
        return quorum_needed(self.members_total)

    @property
    def quorate(self) -> bool:
        return has_quorum(present=self.present, members_total=self.members_total)


@transaction.atomic
def record_attendance(
    *, meeting: CouncilMeeting, members, now: datetime.datetime | None = None
) -> Attendance:
    """Record who signed in and freeze the number of members on the day (`now`: when the
    sign-in was recorded, default now)."""
    members = list(members)
    if any(m.council_id != meeting.council_id for m in members):
        raise ValidationError(_("Only members of this council can sign in to its meeting."))
    active = CouncilMember.objects.filter(council=meeting.council).active_on(meeting.held_on)
    active_ids = set(active.values_list("id", flat=True))
    strangers = [m for m in members if m.pk not in active_ids]
    if strangers:
        raise ValidationError(
            _("%(names)s was not a member of the council on %(day)s.")
            % {"names": "、".join(str(m) for m in strangers), "day": meeting.held_on}
        )
    meeting.attendees.set(members)
    meeting.members_total = len(active_ids)
    meeting.attendance_recorded_at = now or timezone.now()
    meeting.save(update_fields=["members_total", "attendance_recorded_at"])
    return attendance(meeting)


def attendance(meeting: CouncilMeeting) -> Attendance:
    return Attendance(present=meeting.attendees.count(), members_total=meeting.members_total)


@transaction.atomic
def review_motion(*, motion: Motion, meeting: CouncilMeeting, note: str = "") -> Motion:
    """The party branch's review (党支部审核) puts the motion on a meeting's agenda."""
    if motion.status != Motion.Status.PROPOSED:
        raise ValidationError(_("Only a proposed motion can be put on the agenda."))
    if meeting.council_id != motion.council_id:
        raise ValidationError(_("The meeting belongs to another council."))
    motion.status = Motion.Status.ON_AGENDA
    motion.meeting = meeting
    motion.branch_review_note = note
    motion.save(update_fields=["status", "meeting", "branch_review_note"])
    return motion


def check_vote(*, motion: Motion, member: CouncilMember, choice: str, option=None) -> None:
    """Raise ValidationError unless this member may cast this vote now."""
    if motion.status != Motion.Status.ON_AGENDA or motion.meeting_id is None:
        raise ValidationError(_("Votes are taken only on a motion on a meeting's agenda."))
    meeting = motion.meeting
    if meeting.attendance_recorded_at is None:
        raise ValidationError(_("Record the meeting's sign-in before taking votes."))
    if not meeting.attendees.filter(pk=member.pk).exists():
        raise ValidationError(
            _("%(member)s did not sign in to the meeting and cannot vote.") % {"member": member}
        )
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Unknown vote."))
    if option is not None and option.motion_id != motion.pk:
        raise ValidationError(_("The option belongs to another motion."))
    if option is not None and choice != Vote.Choice.FOR:
        raise ValidationError(_("Only a vote for the motion names a preferred option."))
    if Vote.objects.filter(motion=motion, member=member).exists():
        raise ValidationError(_("%(member)s has already voted.") % {"member": member})


@transaction.atomic
def cast_vote(*, motion: Motion, member: CouncilMember, choice: str, option=None) -> Vote:
    check_vote(motion=motion, member=member, choice=choice, option=option)
    return Vote.objects.create(motion=motion, member=member, choice=choice, option=option)


@transaction.atomic
def decide_motion(*, motion: Motion, now: datetime.datetime | None = None) -> Motion:
    """Count the votes (in SQL) and record the decision; needs a quorate meeting (`now`: when
    the decision was taken, default now)."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=motion.pk)
    )
    if motion.status != Motion.Status.ON_AGENDA or motion.meeting is None:
        raise ValidationError(_("Only a motion on a meeting's agenda can be decided."))
    present = attendance(motion.meeting)
    if not present.quorate:
        raise ValidationError(
            _(
                "No quorum: %(present)d of %(total)d members signed in; "
                "at least %(needed)d (two thirds) are needed."
            )
            % {
                "present": present.present,
                "total": present.members_total,
                "needed": present.needed,
            }
        )
    counts = Vote.objects.filter(motion=motion).aggregate(
        votes_for=Count("id", filter=Q(choice=Vote.Choice.FOR)),
        votes_against=Count("id", filter=Q(choice=Vote.Choice.AGAINST)),
        votes_abstain=Count("id", filter=Q(choice=Vote.Choice.ABSTAIN)),
    )
    motion.votes_for = counts["votes_for"]
    motion.votes_against = counts["votes_against"]
    motion.votes_abstain = counts["votes_abstain"]
    motion.members_total = present.members_total
    motion.decided_at = now or timezone.now()
    if passes(votes_for=motion.votes_for, members_total=motion.members_total):
        motion.status = Motion.Status.PASSED
        motion.chosen_option = (
            MotionOption.objects.filter(motion=motion)
            .annotate(n=Count("votes", filter=Q(votes__choice=Vote.Choice.FOR)))
            .filter(n__gt=0)
            .order_by("-n", "unit_price", "id")
            .first()
        )
    else:
        motion.status = Motion.Status.REJECTED
        motion.chosen_option = None
    motion.save(
        update_fields=[
            "votes_for",
            "votes_against",
            "votes_abstain",
            "members_total",
            "decided_at",
            "status",
            "chosen_option",
        ]
    )
    return motion


@transaction.atomic
def publish_result(
    *, motion: Motion, starts_on: datetime.date, days: int = MIN_NOTICE_DAYS, user=None
) -> Notice:
    """Post the decision publicly for `days` days (at least five) as a notice with the tally."""
    if not motion.is_decided:
        raise ValidationError(_("Only a decided motion can be posted publicly."))
    if days < MIN_NOTICE_DAYS:
        raise ValidationError(
            _("The public notice lasts at least %(days)d days.") % {"days": MIN_NOTICE_DAYS}
        )
    motion.notice_starts_on = starts_on
    motion.notice_ends_on = starts_on + datetime.timedelta(days=days - 1)
    motion.save(update_fields=["notice_starts_on", "notice_ends_on"])
    tz = timezone.get_current_timezone()
    publish_at = datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=tz)
    expires_at = datetime.datetime.combine(
        motion.notice_ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    result = _("passed") if motion.status == Motion.Status.PASSED else _("not passed")
    lines = [
        _("The residents' council decided on “%(title)s”: %(result)s.")
        % {"title": motion.title, "result": result},
        "",
        _("Members: %(total)d; for: %(for)d; against: %(against)d; abstain: %(abstain)d.")
        % {
            "total": motion.members_total,
            "for": motion.votes_for,
            "against": motion.votes_against,
            "abstain": motion.votes_abstain,
        },
    ]
    if motion.chosen_option:
        lines += ["", _("Option chosen: %(option)s.") % {"option": motion.chosen_option}]
    lines += [
        "",
        _("Public notice from %(start)s to %(end)s. Objections can be raised on the project page.")
        % {"start": motion.notice_starts_on, "end": motion.notice_ends_on},
    ]
    return Notice.objects.create(
        community=motion.council.community,
        title=_("Public notice: %(title)s") % {"title": motion.title},
        category=Notice.Category.COUNCIL,
        body="\n".join(lines),
        status=Notice.Status.PUBLISHED,
        publish_at=publish_at,
        expires_at=expires_at,
        created_by=user,
    )


@transaction.atomic
def object_to_motion(
    *, motion: Motion, name: str, phone: str, text: str, today: datetime.date
) -> MotionObjection:
    if not motion.notice_open_on(today):
        raise ValidationError(_("Objections are taken only while the result is on public notice."))
    return MotionObjection.objects.create(motion=motion, name=name, phone=phone, text=text)


@transaction.atomic
def answer_objection(*, objection: MotionObjection, response: str, user) -> MotionObjection:
    if not response.strip():
        raise ValidationError(_("Write the answer to the objection."))
    objection.response = response
    objection.status = MotionObjection.Status.ANSWERED
    objection.answered_by = user
    objection.save(update_fields=["response", "status", "answered_by"])
    return objection


def check_execution(*, motion: Motion, execution: str, executed_on) -> None:
    if execution != Motion.Execution.NOT_STARTED and motion.status != Motion.Status.PASSED:
        raise ValidationError(_("Only a passed motion is carried out."))
    if execution == Motion.Execution.DONE and executed_on is None:
        raise ValidationError(_("Give the date the decision was carried out."))


@transaction.atomic
def record_execution(
    *, motion: Motion, execution: str, note: str, executed_on: datetime.date | None = None
) -> Motion:
    """Track how a passed decision is carried out (shown on the project's page)."""
    check_execution(motion=motion, execution=execution, executed_on=executed_on)
    motion.execution = execution
    motion.execution_note = note
    motion.executed_on = executed_on if execution == Motion.Execution.DONE else None
    motion.save(update_fields=["execution", "execution_note", "executed_on"])
    return motion
