import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from community.models import PartyMember
from governance.models import Enrollment, Pairing, Relief, Star, TrainingCourse
from governance.queries.indicators import RATE_SOURCES, compute_rate
from governance.services import unity as unity_services
from governance.services import welfare as welfare_services
from tests.factories import HouseholdFactory, ResidentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JUNE = (dt.date(2024, 6, 1), dt.date(2024, 7, 1))


def _pairing(community, *, started=dt.date(2024, 1, 1), ended=None, helper="household"):
    fields = {}
    if helper == "household":
        fields["helper_household"] = HouseholdFactory(community=community)
    else:
        fields["helper_party_member"] = PartyMember.objects.create(
            community=community, resident=ResidentFactory(community=community)
        )
    return Pairing.objects.create(
        community=community,
        helper_kind=helper,
        helped_household=HouseholdFactory(community=community),
        started_on=started,
        ended_on=ended,
        **fields,
    )


def test_pairing_contact_rate_counts_running_pairings_with_a_contact(community):
    assert "pairing_contact" in RATE_SOURCES
    contacted = _pairing(community, helper="party_member")
    silent = _pairing(community)
    _pairing(community, started=dt.date(2024, 7, 1))  # not started yet
    _pairing(community, started=dt.date(2023, 1, 1), ended=dt.date(2024, 5, 31))  # ended
    for day in (dt.date(2024, 6, 3), dt.date(2024, 6, 20)):  # two contacts count once
        unity_services.record_contact(
            pairing=contacted, contacted_on=day, kind="visit", help_given="送米面油"
        )
    unity_services.record_contact(
        pairing=silent, contacted_on=dt.date(2024, 5, 30), kind="phone", help_given="电话问候"
    )
    start, end = JUNE
    assert compute_rate("pairing_contact", community=community, start=start, end=end) == (1, 2)
    unity = Star.objects.get(community=community, code="unity")
    jobs = Star.objects.get(community=community, code="jobs")
    assert compute_rate(
        "pairing_contact", community=community, start=start, end=end, star=unity
    ) == (1, 2)
    assert compute_rate(
        "pairing_contact", community=community, start=start, end=end, star=jobs
    ) == (0, 0)


def test_contact_outside_the_pairing_period_is_refused(community):
    pairing = _pairing(community, ended=dt.date(2024, 3, 1))
    with pytest.raises(ValidationError, match="outside"):
        unity_services.record_contact(
            pairing=pairing, contacted_on=dt.date(2024, 4, 1), kind="visit", help_given="x"
        )


def test_pairing_has_exactly_one_helper_of_its_kind(community):
    with pytest.raises(IntegrityError):
        Pairing.objects.create(
            community=community,
            helper_kind="party_member",
            helper_household=HouseholdFactory(community=community),
            helped_household=HouseholdFactory(community=community),
            started_on=dt.date(2024, 1, 1),
        )


def test_enrollment_respects_capacity_and_duplicates(community):
    course = TrainingCourse.objects.create(community=community, title="叉车驾驶", capacity=1)
    first = ResidentFactory(community=community)
    welfare_services.enroll(course=course, resident=first, registered_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="already registered"):
        welfare_services.enroll(course=course, resident=first, registered_on=dt.date(2024, 6, 1))
    with pytest.raises(ValidationError, match="full"):
        welfare_services.enroll(
            course=course,
            resident=ResidentFactory(community=community),
            registered_on=dt.date(2024, 6, 2),
        )
    Enrollment.objects.filter(resident=first).update(status="dropped")
    welfare_services.enroll(
        course=course,
        resident=ResidentFactory(community=community),
        registered_on=dt.date(2024, 6, 3),
    )


def test_relief_is_decided_only_with_the_approval_permission(community, secretary, staff):
    relief = Relief.objects.create(
        community=community,
        household=HouseholdFactory(community=community),
        kind=Relief.Kind.MEDICAL,
        amount=Decimal("2000.00"),
        reason="住院",
        applied_on=dt.date(2024, 6, 1),
    )
    with pytest.raises(ValidationError, match="may not approve"):
        welfare_services.decide_relief(relief=relief, approve=True, note="", user=staff)
    with pytest.raises(ValidationError, match="reason"):
        welfare_services.decide_relief(relief=relief, approve=False, note="", user=secretary)
    welfare_services.decide_relief(relief=relief, approve=True, note="", user=secretary)
    assert (relief.status, relief.decided_by) == (Relief.Status.APPROVED, secretary)
    with pytest.raises(ValidationError, match="already been decided"):
        welfare_services.decide_relief(relief=relief, approve=False, note="x", user=secretary)
    welfare_services.mark_relief_paid(relief=relief, paid_on=dt.date(2024, 6, 10))
    assert relief.status == Relief.Status.PAID
