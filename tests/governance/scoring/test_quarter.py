"""The quarterly assessment: the mean of three months, lit / kept / withdrawn, grades."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import score_formula as formula
from governance.models import MonthlyScore, QuarterlyAssessment
from governance.queries import scores as score_reads
from governance.services import scoring

pytestmark = pytest.mark.django_db

D = Decimal
Q2 = [datetime.date(2024, m, 1) for m in (4, 5, 6)]


def set_months(community, star, totals, state="locked", vetoed=()):
    for month, total in zip(Q2, totals, strict=False):
        MonthlyScore.objects.create(
            community=community,
            star=star,
            month=month,
            total=D(total),
            state=state,
            vetoed=month in vetoed,
        )


@pytest.mark.parametrize(
    ("totals", "vetoed", "mean", "status", "grade"),
    [
        (("80", "80", "80"), False, "80.00", "lit", "good"),  # exactly 80: lit
        (("79.97", "80", "80"), False, "79.99", "kept", "fair"),
        (("90", "90", "90"), False, "90.00", "lit", "excellent"),
        (("70", "70", "70"), False, "70.00", "kept", "fair"),
        (("69.99", "69.99", "69.99"), False, "69.99", "withdrawn", "pass"),
        (("60", "60", "60"), False, "60.00", "withdrawn", "pass"),
        (("59.97", "60", "60"), False, "59.99", "withdrawn", "fail"),
        (("100", "100", "100"), True, "100.00", "withdrawn", "excellent"),  # a veto withdraws
    ],
)
def test_quarter_rules(community, stars, totals, vetoed, mean, status, grade):
    star = stars["unity"]
    set_months(community, star, totals, vetoed={Q2[2]} if vetoed else set())
    rows = score_reads.quarter_rows(community=community, year=2024, quarter=2)
    row = next(r for r in rows if r.star == star)
    assert (row.mean, row.status, row.grade, row.vetoed) == (D(mean), status, grade, vetoed)


@pytest.mark.parametrize(
    ("mean", "vetoed", "status"),
    [
        ("80.00", False, "lit"),
        ("79.99", False, "kept"),
        ("70.00", False, "kept"),
        ("69.99", False, "withdrawn"),
        ("95.00", True, "withdrawn"),
    ],
)
def test_lit_and_withdrawn_edges(mean, vetoed, status):
    assert formula.status_for(D(mean), vetoed) == status


@pytest.mark.parametrize(
    ("mean", "grade"),
    [
        ("90.00", "excellent"),
        ("89.99", "good"),
        ("80.00", "good"),
        ("79.99", "fair"),
        ("70.00", "fair"),
        ("69.99", "pass"),
        ("60.00", "pass"),
        ("59.99", "fail"),
    ],
)
def test_grade_bands(mean, grade):
    assert formula.grade_for(D(mean)) == grade


def test_the_mean_is_over_the_three_months(community, stars):
    set_months(community, stars["jobs"], ["90", "85"])  # June not scored: counts 0
    row = next(
        r
        for r in score_reads.quarter_rows(community=community, year=2024, quarter=2)
        if r.star.code == "jobs"
    )
    assert (row.mean, row.months_scored, row.status) == (D("58.33"), 2, "withdrawn")


def test_the_secretary_assesses_a_locked_quarter_with_remarks(community, stars, sec, member):
    for code, star in stars.items():
        set_months(community, star, ["85", "88", "91"] if code != "safety" else ["60", "65", "70"])
    with pytest.raises(PermissionDenied):
        scoring.assess_quarter(community=community, year=2024, quarter=2, actor=member)
    assessments = scoring.assess_quarter(
        community=community,
        year=2024,
        quarter=2,
        actor=sec,
        remarks={stars["safety"].id: "整改:加强法治宣传"},
    )
    assert len(assessments) == 6
    safety = QuarterlyAssessment.objects.get(star=stars["safety"], year=2024, quarter=2)
    assert (safety.mean_score, safety.status, safety.grade, safety.remarks) == (
        D("65.00"),
        "withdrawn",
        "pass",
        "整改:加强法治宣传",
    )
    fortress = QuarterlyAssessment.objects.get(star=stars["fortress"])
    assert (fortress.mean_score, fortress.status, fortress.grade) == (D("88.00"), "lit", "good")
    # Assessing again updates, never duplicates.
    scoring.assess_quarter(community=community, year=2024, quarter=2, actor=sec)
    assert QuarterlyAssessment.objects.count() == 6


def test_a_quarter_with_an_unlocked_month_cannot_be_assessed(community, stars, sec):
    for star in stars.values():
        set_months(community, star, ["85", "88", "91"], state="reviewed")
    with pytest.raises(ValidationError):
        scoring.assess_quarter(community=community, year=2024, quarter=2, actor=sec)
