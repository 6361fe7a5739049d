"""The two indicators the scores take from the registry (重点人群走访覆盖率, 党员双报到服务率),
on data whose answer is known, in one query each; and no default indicator without a source."""

import datetime
from decimal import Decimal

import pytest

from community.models import CareTag, PartyMember
from governance.models import IndicatorResult
from governance.queries.indicators import RATE_SOURCES, compute_rate
from governance.services import scoring
from governance.services.setup import set_up_community
from tests.factories import (
    HouseholdFactory,
    PartyMemberFactory,
    ResidentFactory,
    ResidentTagFactory,
    VisitFactory,
    VolunteerServiceFactory,
)

pytestmark = pytest.mark.django_db

MAY, JUNE = datetime.date(2024, 5, 1), datetime.date(2024, 6, 1)


def tagged_household(community, *, since=datetime.date(2024, 1, 1), until=None, moved_out=None):
    household = HouseholdFactory(community=community)
    resident = ResidentFactory(community=community, household=household, moved_out=moved_out)
    tag = CareTag.objects.filter(community=community).first()
    ResidentTagFactory(resident=resident, tag=tag, since=since, until=until)
    return household


def visit(household, day):
    return VisitFactory(household=household, visited_on=day)


def test_key_group_visit_coverage_counts_tagged_households_visited_in_the_month(community):
    visited = tagged_household(community)
    visit(visited, datetime.date(2024, 5, 2))
    visit(visited, datetime.date(2024, 5, 20))  # twice: still one household
    visit(tagged_household(community), datetime.date(2024, 4, 30))  # visited in April only
    tagged_household(community, since=datetime.date(2024, 5, 31))  # tagged on the last day
    tagged_household(community, until=datetime.date(2024, 5, 1))  # tag ends on the first day
    # Not key-group households of May: the tag ended in April, tagged from June, moved out in
    # April, no tag at all, another community's household.
    visit(tagged_household(community, until=datetime.date(2024, 4, 30)), datetime.date(2024, 5, 3))
    tagged_household(community, since=JUNE)
    tagged_household(community, moved_out=datetime.date(2024, 4, 15))
    visit(HouseholdFactory(community=community), datetime.date(2024, 5, 3))
    other = set_up_community(name="星光社区", slug="xingguang")
    visit(tagged_household(other), datetime.date(2024, 5, 3))

    assert compute_rate("visit_coverage", community=community, start=MAY, end=JUNE) == (1, 4)
    assert compute_rate("visit_coverage", community=other, start=MAY, end=JUNE) == (1, 1)


def test_dual_registration_service_counts_members_with_verified_service(community, secretary):
    def member(registered_on):
        return PartyMemberFactory(
            community=community,
            resident=None,
            kind=PartyMember.Kind.IN_SERVICE,
            name="在职党员",
            dual_registered_on=registered_on,
        )

    def served(person, day, verified=True):
        return VolunteerServiceFactory(
            community=community,
            resident=None,
            party_member=person,
            served_on=day,
            verified_by=secretary if verified else None,
        )

    served(member(datetime.date(2024, 1, 10)), datetime.date(2024, 5, 18))
    served(member(datetime.date(2024, 5, 31)), datetime.date(2024, 5, 31))  # joined this month
    served(member(datetime.date(2024, 2, 1)), datetime.date(2024, 5, 18), verified=False)
    served(member(datetime.date(2024, 3, 1)), datetime.date(2024, 6, 1))  # June's service
    member(datetime.date(2024, 6, 1))  # registered after May: not counted in May
    PartyMemberFactory(community=community)  # a resident member without dual registration

    assert compute_rate("dual_registration_service", community=community, start=MAY, end=JUNE) == (
        2,
        4,
    )


@pytest.mark.parametrize("key", ["visit_coverage", "dual_registration_service"])
def test_the_rates_take_one_query_whatever_the_rows(community, key, django_assert_num_queries):
    for _ in range(3):
        visit(tagged_household(community), datetime.date(2024, 5, 2))
        PartyMemberFactory(community=community, dual_registered_on=datetime.date(2024, 1, 1))
    with django_assert_num_queries(1):
        compute_rate(key, community=community, start=MAY, end=JUNE)


def test_every_default_rate_indicator_has_a_source():
    keys = [detail for _, _, source, detail, _, _ in scoring.DEFAULT_INDICATORS if source == "rate"]
    assert {"visit_coverage", "dual_registration_service"} <= set(keys)
    assert [key for key in keys if key not in RATE_SOURCES] == []


def test_the_safety_star_is_scored_on_all_four_default_indicators(community, secretary):
    """A month with a case of each: 平安法治星's four indicators are all measured."""
    from governance.models import Star, WorkLog
    from tests.factories import DisputeFactory, WorkLogFactory

    scoring.ensure_default_indicators(community=community)
    safety = Star.objects.get(community=community, code="safety")
    visit(tagged_household(community), datetime.date(2024, 5, 2))
    DisputeFactory(community=community, found_on=datetime.date(2024, 5, 3))
    WorkLogFactory(
        community=community,
        date=datetime.date(2024, 5, 4),
        kind=WorkLog.Kind.PUBLICITY,
        author=secretary,
        stars=[safety],
    )
    _request_due_in_may(community, safety)
    scoring.compute_month(community=community, month=MAY, today=datetime.date(2024, 6, 10))
    results = IndicatorResult.objects.filter(score__star=safety, score__month=MAY)
    assert {r.name: r.available for r in results} == {
        "矛盾纠纷化解率(%)": True,
        "诉求按时办结率(%)": True,
        "重点人群走访覆盖率(%)": True,
        "法治与平安宣传活动": True,
    }
    coverage = results.get(name="重点人群走访覆盖率(%)")
    assert (coverage.numerator, coverage.denominator, coverage.actual) == (1, 1, Decimal(100))
    assert coverage.records_url.startswith("/admin/community/visit/?visited_on__gte=2024-05-01")


def _request_due_in_may(community, star):
    from zoneinfo import ZoneInfo

    from tests.factories import ServiceRequestFactory

    submitted = datetime.datetime(2024, 5, 6, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    ServiceRequestFactory(community=community, star=star, submitted_at=submitted)
