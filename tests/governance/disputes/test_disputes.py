"""Disputes: the admin form's checks, scoping, and 调处率 / 化解率 on a known data set."""

import datetime as dt

import pytest

from governance.models import Dispute, DisputeParty, LegalConsultation, MediationSession, Star
from governance.periods import period_bounds
from governance.queries import metrics
from governance.queries.indicators import compute_rate
from governance.services.setup import set_up_community
from tests.factories import DisputeFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/governance/dispute/"
OUT = Dispute.Outcome


def d(month, day, year=2025):
    return dt.date(year, month, day)


# title, found, mediation accepted, status, outcome, closed, major, grid
DISPUTES = [
    ("d1 楼上漏水", d(3, 2), d(3, 3), "closed", OUT.RESOLVED, d(3, 10), True, "A"),
    ("d2 停车位", d(3, 5), d(3, 6), "closed", OUT.RESOLVED, d(4, 2), False, "A"),
    ("d3 宅基地", d(3, 15), d(3, 16), "closed", OUT.UNRESOLVED, d(3, 20), True, "B"),
    ("d4 劳资", d(3, 20), None, "closed", OUT.REFERRED, d(3, 25), False, "B"),
    ("d5 噪音", d(3, 28), None, "found", "", None, False, "B"),
    ("d6 婚姻", d(2, 10), None, "closed", OUT.RESOLVED, d(3, 1), True, "A"),
]


@pytest.fixture
def disputes(community, places):
    grids = {"A": places["grid_a"], "B": places["grid_b"]}
    safety = Star.objects.get(community=community, code="safety")
    rows = []
    for n, (title, found, accepted, status, outcome, closed, major, grid) in enumerate(DISPUTES):
        rows.append(
            Dispute.objects.create(
                community=community,
                title=title,
                description=title,
                kind=Dispute.Kind.NEIGHBOUR,
                found_on=found,
                mediation_accepted_on=accepted,
                status=status,
                outcome=outcome,
                closed_on=closed,
                is_major=major,
                grid=grids[grid],
                star=safety if n == 0 else None,
            )
        )
    other = set_up_community(name="别的社区", slug="other")
    Dispute.objects.create(
        community=other, title="x", description="x", kind="other", found_on=d(3, 3),
        status="closed", outcome=OUT.RESOLVED, closed_on=d(3, 4),
    )  # fmt: skip
    return rows


def test_march_rates_on_a_known_data_set(community, disputes):
    start, end = period_bounds(2025, month=3)
    (march,) = metrics.dispute_figures(community=community, start=start, end=end)
    assert (march.found, march.major, march.mediated, march.mediated_resolved, march.resolved,
            march.referred) == (5, 2, 3, 1, 1, 1)  # fmt: skip
    assert march.mediation_rate == 33.3  # 调处率 1/3
    assert march.resolution_rate == 20.0  # 化解率 1/5


def test_year_rates_count_resolutions_up_to_the_end_of_the_period(community, disputes):
    start, end = period_bounds(2025)
    (year,) = metrics.dispute_figures(community=community, start=start, end=end)
    assert (year.found, year.mediated, year.mediated_resolved, year.resolved) == (6, 3, 2, 3)
    assert year.mediation_rate == 66.7 and year.resolution_rate == 50.0


def test_per_grid_and_rate_source(community, disputes, places):
    start, end = period_bounds(2025, month=3)
    by_grid = {
        f.key: (f.found, f.resolved)
        for f in metrics.dispute_figures(community=community, start=start, end=end, group_by="grid")
    }
    assert by_grid == {places["grid_a"].pk: (2, 1), places["grid_b"].pk: (3, 0)}
    assert compute_rate("dispute_resolution", community=community, start=start, end=end) == (1, 5)
    safety = Star.objects.get(community=community, code="safety")
    jobs = Star.objects.get(community=community, code="jobs")
    # Disputes without a star belong to the safety star.
    assert compute_rate(
        "dispute_resolution", community=community, start=start, end=end, star=safety
    ) == (1, 5)
    assert compute_rate(
        "dispute_resolution", community=community, start=start, end=end, star=jobs
    ) == (0, 0)


def test_legal_consultations_are_counted_on_their_own(community):
    for day in (3, 9, 30):
        LegalConsultation.objects.create(
            community=community, consulted_on=d(3, day), topic="labour", question="拖欠工资怎么办"
        )
    LegalConsultation.objects.create(
        community=community, consulted_on=d(4, 1), topic="family", question="离婚财产"
    )
    start, end = period_bounds(2025, month=3)
    assert metrics.legal_consultation_count(community=community, start=start, end=end) == 3


def _form_data(**overrides):
    data = {
        "title": "楼上漏水",
        "description": "楼上卫生间漏水到楼下",
        "kind": "neighbour",
        "source": "patrol",
        "risk_level": "orange",
        "found_on": "2025-03-02",
        "mediation_accepted_on": "",
        "status": "found",
        "outcome": "",
        "closed_on": "",
        "agreement": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-role": "applicant",
        "parties-0-name": "王某",
        "parties-1-role": "respondent",
        "parties-1-name": "赵某",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-held_on": "2025-03-03",
        "sessions-0-place": "社区调解室",
        "sessions-0-mediators": "网格员、民警",
        "sessions-0-summary": "双方同意修复防水层",
        "sessions-0-result": "agreement",
    }
    data.update(overrides)
    return data


def test_secretary_records_a_dispute_with_parties_and_a_session(client, office, secretary):
    client.force_login(secretary)
    response = client.post(f"{LIST}add/", _form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    dispute = Dispute.objects.get()
    assert dispute.community.slug == "hongxing"
    assert list(DisputeParty.objects.values_list("name", flat=True)) == ["王某", "赵某"]
    assert MediationSession.objects.get().result == "agreement"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"status": "closed"}, "outcome", "必须填写结果"),
        ({"status": "closed", "outcome": "resolved"}, "closed_on", "办结日期"),
        ({"outcome": "resolved", "closed_on": "2025-03-09"}, "status", "已办结"),
        ({"mediation_accepted_on": "2025-03-01"}, "mediation_accepted_on", "不能早于"),
        ({"status": "mediating"}, "mediation_accepted_on", "受理调解的日期"),
        ({"agreement_fulfilled": "on"}, "agreement_fulfilled", "已签订"),
    ],
)
def test_inconsistent_disputes_are_refused_with_a_chinese_error(
    client, office, secretary, overrides, field, message
):
    client.force_login(secretary)
    response = client.post(f"{LIST}add/", _form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field]), errors
    assert Dispute.objects.count() == 0


def test_a_party_needs_a_resident_or_a_name(client, office, secretary):
    client.force_login(secretary)
    response = client.post(f"{LIST}add/", _form_data(**{"parties-0-name": ""}))
    assert response.status_code == 200
    assert Dispute.objects.count() == 0
    assert "请选择居民或填写当事人姓名" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_dispute_changelist_runs_a_fixed_number_of_queries(
    client, office, community, places, django_assert_num_queries, rows
):
    for n in range(rows):
        dispute = DisputeFactory(
            community=community, title=f"纠纷{n}", grid=places["grid_a"], mediator=office
        )
        MediationSession.objects.create(dispute=dispute, summary="调解")
    client.force_login(office)
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_grid_worker_sees_own_grid_disputes_only(client, worker, community, places):
    own = DisputeFactory(community=community, title="本网格", grid=places["grid_a"])
    other = DisputeFactory(community=community, title="他网格", grid=places["grid_b"])
    client.force_login(worker)
    assert list(client.get(LIST).context["cl"].result_list) == [own]
    assert client.get(f"{LIST}{other.pk}/change/").status_code == 404


def test_legal_consultation_admin_lists_and_scopes(client, office, community):
    other = set_up_community(name="别的社区", slug="other")
    mine = LegalConsultation.objects.create(
        community=community, topic="labour", question="拖欠工资怎么办"
    )
    LegalConsultation.objects.create(community=other, topic="labour", question="x")
    client.force_login(office)
    response = client.get("/admin/governance/legalconsultation/")
    assert list(response.context["cl"].result_list) == [mine]
