"""Request figures on a small data set whose answers were worked out by hand (see the table)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from governance.models import ServiceRequest, Star
from governance.periods import period_bounds
from governance.queries import metrics
from governance.queries.indicators import RATE_SOURCES, compute_rate
from governance.services.setup import set_up_community

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 4, 10, 12, 0, tzinfo=TZ)
S = ServiceRequest.Status


def t(month, day, hour=9):
    return dt.datetime(2025, month, day, hour, 0, tzinfo=TZ)


# name, grid, star, submitted, due, resolved, rated (satisfaction, solved), status
ROWS = [
    ("r1", "A", "cobuild", t(3, 3), t(3, 12), t(3, 5), (t(3, 6), "satisfied", True), S.RESOLVED),
    ("r2", "A", "cobuild", t(3, 10), t(3, 19), t(3, 21), (t(3, 22), "basically", True), S.CLOSED),
    ("r3", "A", "cobuild", t(3, 20), t(3, 29), None, None, S.IN_PROGRESS),
    ("r4", "B", "safety", t(3, 25), t(4, 3), t(3, 26), (t(3, 27), "basically", True), S.RESOLVED),
    ("r5", "B", "safety", t(3, 5), t(3, 14), None, None, S.REJECTED),
    ("r6", "A", "safety", t(2, 20), t(3, 3), t(3, 2), (t(3, 4), "unsatisfied", False), S.RESOLVED),
    ("r7", "B", "safety", t(3, 28), t(4, 8), None, None, S.ASSIGNED),
    ("r8", "B", "safety", t(3, 30), t(3, 31, 10), None, None, S.ACCEPTED),
]  # fmt: skip


@pytest.fixture
def dataset(community, places, category):
    grids = {"A": places["grid_a"], "B": places["grid_b"]}
    stars = {s.code: s for s in Star.objects.filter(community=community)}
    for n, (name, grid, star, submitted, due, resolved, rating, status) in enumerate(ROWS, 1):
        rated_at, satisfaction, solved = rating or (None, "", None)
        ServiceRequest.objects.create(
            community=community,
            reference=f"HX-2025-{n:05d}",
            category=category,
            description=name,
            grid=grids[grid],
            star=stars[star],
            phone="13800000000",
            phone_last4="0000",
            phone_index=name,
            submitted_at=submitted,
            due_at=due,
            original_due_at=due,
            resolved_at=resolved,
            rated_at=rated_at,
            satisfaction=satisfaction,
            rated_solved=solved,
            status=status,
        )
    # Another community's request never counts.
    other = set_up_community(name="别的社区", slug="other")
    ServiceRequest.objects.create(
        community=other, reference="HX-2025-00001", category=category, description="x",
        phone="1", phone_last4="0000", phone_index="x", submitted_at=t(3, 3), due_at=t(3, 4),
        original_due_at=t(3, 4), resolved_at=t(3, 3, 12),
    )  # fmt: skip
    return {"grids": grids, "stars": stars}


def _fields(f):
    return (f.received, f.resolved, f.due, f.on_time, f.rated, f.satisfied, f.solved,
            f.median_hours)  # fmt: skip


def test_march_figures_for_the_community(community, dataset):
    march = period_bounds(2025, month=3)
    assert march == (dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    (total,) = metrics.request_figures(community=community, start=march[0], end=march[1], now=NOW)
    assert _fields(total) == (7, 4, 5, 2, 4, 3, 3, 144.0)
    assert total.on_time_rate == 40.0
    assert total.satisfaction_rate == 75.0
    assert total.solved_rate == 75.0


def test_only_the_figures_asked_for_are_counted(community, dataset):
    march = period_bounds(2025, month=3)
    (part,) = metrics.request_figures(
        community=community,
        start=march[0],
        end=march[1],
        now=NOW,
        with_median=False,
        only=("on_time", "due"),
    )
    assert (part.on_time, part.due) == (2, 5)
    # Not counted is not zero: a figure nobody asked for cannot pass for one.
    assert (part.received, part.resolved, part.rated, part.satisfied, part.solved) == (None,) * 5


def test_march_figures_per_grid_and_per_star(community, dataset):
    start, end = period_bounds(2025, month=3)
    by_grid = {
        f.key: _fields(f)
        for f in metrics.request_figures(
            community=community, start=start, end=end, group_by="grid", now=NOW
        )
    }
    assert by_grid == {
        dataset["grids"]["A"].pk: (3, 3, 4, 2, 3, 2, 2, 240.0),
        dataset["grids"]["B"].pk: (4, 1, 1, 0, 1, 1, 1, 24.0),
    }
    by_star = {
        f.key: _fields(f)
        for f in metrics.request_figures(
            community=community, start=start, end=end, group_by="star", now=NOW
        )
    }
    assert by_star == {
        dataset["stars"]["cobuild"].pk: (3, 2, 3, 1, 2, 2, 2, 156.0),
        dataset["stars"]["safety"].pk: (4, 2, 2, 1, 2, 1, 1, 132.0),
    }


def test_quarter_and_year_include_february(community, dataset):
    start, end = period_bounds(2025, quarter=1)
    assert (start, end) == (dt.date(2025, 1, 1), dt.date(2025, 4, 1))
    (q1,) = metrics.request_figures(community=community, start=start, end=end, now=NOW)
    assert q1.received == 8
    start, end = period_bounds(2025)
    (year,) = metrics.request_figures(community=community, start=start, end=end, now=NOW)
    assert year.received == 8 and year.resolved == 4
    # r4 (due 3 April, resolved on time) and r7 (due 8 April, open and past due on the 10th).
    assert year.due == 7 and year.on_time == 3


def test_not_yet_due_requests_are_left_out(community, dataset):
    start, end = period_bounds(2025, month=4)
    early = dt.datetime(2025, 4, 5, 12, 0, tzinfo=TZ)
    (april,) = metrics.request_figures(community=community, start=start, end=end, now=early)
    # r4: due 3 April and resolved (on time); r7: due 8 April, still open on the 5th: left out.
    assert (april.due, april.on_time) == (1, 1)


def test_rate_sources_are_registered_and_read_the_same_figures(community, dataset, settings):
    assert {"request_on_time", "request_satisfaction", "dispute_resolution"} <= set(RATE_SOURCES)
    start, end = period_bounds(2025, month=3)
    cobuild = dataset["stars"]["cobuild"]
    with time_machine.travel(NOW, tick=False):
        assert compute_rate("request_on_time", community=community, start=start, end=end) == (2, 5)
        assert compute_rate(
            "request_on_time", community=community, start=start, end=end, star=cobuild
        ) == (1, 3)
        assert compute_rate("request_satisfaction", community=community, start=start, end=end) == (
            3,
            4,
        )


def test_figures_take_a_fixed_number_of_queries(community, dataset, django_assert_num_queries):
    start, end = period_bounds(2025, month=3)
    with django_assert_num_queries(2):
        metrics.request_figures(community=community, start=start, end=end, group_by="grid")
