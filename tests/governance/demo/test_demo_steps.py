"""The demo is built through the steps staff take: every council tally has its votes behind it,
and every default indicator of the demo's months is measured or says why not."""

import datetime as dt

import pytest
from django.db.models import Count, Q

from governance.models import IndicatorResult, Motion

pytestmark = pytest.mark.django_db


def test_every_demo_tally_is_the_count_of_its_votes(demo):
    motions = Motion.objects.filter(council__community=demo.community).annotate(
        n_for=Count("votes", filter=Q(votes__choice="for")),
        n_against=Count("votes", filter=Q(votes__choice="against")),
        n_abstain=Count("votes", filter=Q(votes__choice="abstain")),
    )
    assert motions.exists()
    for motion in motions:
        assert motion.status in (Motion.Status.PASSED, Motion.Status.REJECTED)
        assert motion.meeting_id is not None and motion.decided_at is not None
        assert (motion.votes_for, motion.votes_against, motion.votes_abstain) == (
            motion.n_for,
            motion.n_against,
            motion.n_abstain,
        )
        voters = set(motion.votes.values_list("member_id", flat=True))
        assert voters <= set(motion.meeting.attendees.values_list("id", flat=True))


def test_the_demo_measures_both_registry_indicators_every_month(demo):
    results = IndicatorResult.objects.filter(
        score__community=demo.community,
        score__month__year=2024,
        name__in=["党员双报到服务率(%)", "重点人群走访覆盖率(%)"],
    )
    assert results.count() == 24
    assert not results.filter(available=False).exists()
    june = results.filter(score__month=dt.date(2024, 6, 1))
    coverage = june.get(name="重点人群走访覆盖率(%)")
    assert coverage.numerator == coverage.denominator > 0  # each tagged home visited monthly
    service = june.get(name="党员双报到服务率(%)")
    assert 0 < service.numerator < service.denominator  # measured, not full


def test_no_demo_indicator_is_left_out_without_a_reason(demo):
    missing = IndicatorResult.objects.filter(
        score__community=demo.community, score__month__year=2024, available=False
    )
    assert not missing.filter(missing="").exists()
    assert not missing.filter(missing=IndicatorResult.Missing.NO_SOURCE).exists()
