import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.models import CouncilMeeting, Motion, MotionObjection, Notice
from governance.services import council as council_services

from .builders import TODAY, decide, make_council, make_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("present", "members", "quorate"),
    [(6, 9, True), (5, 9, False), (7, 10, True), (6, 10, False), (2, 3, True), (0, 0, False)],
)
def test_quorum_is_two_thirds_of_members(present, members, quorate):
    assert council_services.has_quorum(present=present, members_total=members) is quorate


@pytest.mark.parametrize(
    ("votes_for", "members", "passed"),
    [(5, 9, True), (4, 9, False), (6, 10, True), (5, 10, False), (0, 0, False)],
)
def test_motion_needs_more_than_half_of_all_members(votes_for, members, passed):
    assert council_services.passes(votes_for=votes_for, members_total=members) is passed


def test_quorum_needed_rounds_up():
    assert [council_services.quorum_needed(n) for n in (3, 9, 10, 11)] == [2, 6, 7, 8]


def test_majority_of_those_present_is_not_enough(community):
    project = make_project(community)
    council, people = make_council(community, members=9)
    # 6 of 9 present (quorate); 4 vote for: a majority of those present but not of all 9.
    motion = decide(project, council, people, title="路灯", votes_for=4, present=6)
    assert motion.status == Motion.Status.REJECTED
    assert (motion.votes_for, motion.members_total) == (4, 9)
    assert motion.chosen_option is None


def test_motion_passes_and_picks_the_option_most_voted_for(community):
    project = make_project(community)
    council, people = make_council(community, members=9)
    motion = decide(project, council, people, title="保温", votes_for=5, present=6)
    assert motion.status == Motion.Status.PASSED
    assert motion.chosen_option.label == "岩棉板"
    assert (motion.votes_for, motion.votes_against, motion.votes_abstain) == (5, 0, 0)


def test_no_decision_without_quorum(community):
    project = make_project(community)
    council, people = make_council(community, members=9)
    with pytest.raises(ValidationError, match="5 of 9"):
        decide(project, council, people, title="广场", votes_for=5, present=5)


def test_members_who_left_do_not_count(community):
    council, people = make_council(community, members=4)
    people[3].left_on = dt.date(2023, 1, 1)
    people[3].save()
    meeting = CouncilMeeting.objects.create(council=council, held_on=TODAY)
    result = council_services.record_attendance(meeting=meeting, members=people[:2])
    assert (result.present, result.members_total, result.quorate) == (2, 3, True)
    with pytest.raises(ValidationError, match="not a member"):
        council_services.record_attendance(meeting=meeting, members=people)


def test_only_members_signed_in_vote_once(community):
    council, people = make_council(community, members=3)
    meeting = CouncilMeeting.objects.create(council=council, held_on=TODAY)
    council_services.record_attendance(meeting=meeting, members=people[:2])
    motion = Motion.objects.create(council=council, title="t", description="d", proposed_on=TODAY)
    with pytest.raises(ValidationError, match="agenda"):
        council_services.cast_vote(motion=motion, member=people[0], choice="for")
    council_services.review_motion(motion=motion, meeting=meeting)
    council_services.cast_vote(motion=motion, member=people[0], choice="for")
    with pytest.raises(ValidationError, match="already voted"):
        council_services.cast_vote(motion=motion, member=people[0], choice="against")
    with pytest.raises(ValidationError, match="did not sign in"):
        council_services.cast_vote(motion=motion, member=people[2], choice="for")


def test_result_is_posted_for_at_least_five_days(community):
    project = make_project(community)
    council, people = make_council(community, members=3)
    motion = decide(project, council, people, title="道路", votes_for=2)
    assert (motion.notice_starts_on, motion.notice_ends_on) == (TODAY, dt.date(2024, 6, 14))
    notice = Notice.objects.get(category=Notice.Category.COUNCIL)
    assert "道路" in notice.title and "2024-06-14" in notice.body
    assert list(Notice.objects.public()) == [notice]
    with pytest.raises(ValidationError, match="at least 5 days"):
        council_services.publish_result(motion=motion, starts_on=TODAY, days=4)


def test_objections_only_during_the_notice(community):
    project = make_project(community)
    council, people = make_council(community, members=3)
    motion = decide(project, council, people, title="燃气", votes_for=2)
    for day in (TODAY, dt.date(2024, 6, 14)):
        council_services.object_to_motion(
            motion=motion, name="张三", phone="", text="有意见", today=day
        )
    for day in (dt.date(2024, 6, 9), dt.date(2024, 6, 15)):
        with pytest.raises(ValidationError, match="public notice"):
            council_services.object_to_motion(
                motion=motion, name="张三", phone="", text="有意见", today=day
            )
    assert MotionObjection.objects.filter(motion=motion).count() == 2


def test_execution_is_tracked_only_for_passed_motions(community):
    project = make_project(community)
    council, people = make_council(community, members=3)
    passed = decide(project, council, people, title="燃气", votes_for=2)
    with pytest.raises(ValidationError, match="date"):
        council_services.record_execution(motion=passed, execution="done", note="完工")
    council_services.record_execution(
        motion=passed, execution="done", note="完工", executed_on=TODAY
    )
    passed.refresh_from_db()
    assert (passed.execution, passed.executed_on) == ("done", TODAY)
    rejected = decide(project, council, people, title="否决", votes_for=1)
    with pytest.raises(ValidationError, match="passed"):
        council_services.record_execution(motion=rejected, execution="in_progress", note="")
