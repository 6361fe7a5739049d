"""The six stars' scoring formula: pure arithmetic over figures already read from the records.

Monthly score (月评比):

    S = wO·O + wR·R + wC·C + B − D, clamped to 0..max (defaults 0.5 / 0.2 / 0.3, max 110)

- O: the weighted mean of the star's indicator points; an indicator's points come from its
  actual against its monthly target, in bands (100 % / 90 % / 80 % -> 100 / 80 / 60, else 0).
- R: the secretary's review (0..100); C: resident satisfaction (0..100); B: a bonus (<= 10)
  with its reason; D: 1 point per overdue weekly task, at most 10.
- A veto event in the month zeroes the score.

Quarterly assessment (季考核): the mean of the quarter's three monthly scores gives the grade
(90 / 80 / 70 / 60) and the star's status (lit from 80, kept from 70, withdrawn below 70 or
after a veto).

Nothing here reads or writes the database: the figures come from governance.queries.scores.
"""

from decimal import ROUND_HALF_UP, Decimal

from governance.models import QuarterlyAssessment
from governance.models.scoring import DEFAULT_BANDS

FORMULA_VERSION = 1
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_RULE = {
    "weight_objective": Decimal("0.50"),
    "weight_review": Decimal("0.20"),
    "weight_satisfaction": Decimal("0.30"),
    "bonus_cap": Decimal("10"),
    "deduction_per_task": Decimal("1"),
    "deduction_cap": Decimal("10"),
    "max_score": Decimal("110"),
}


def q2(value) -> Decimal:
    """A value to the cent, halves rounded up (every stored score and share is rounded so)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def band_points(actual: Decimal, target: Decimal, bands=None) -> tuple[Decimal, Decimal | None]:
    """(points, band threshold reached): actual/target against the bands, compared exactly."""
    for threshold, points in bands or DEFAULT_BANDS:
        # actual / target >= threshold %, without dividing (no rounding at the edges).
        if actual * HUNDRED >= Decimal(str(threshold)) * target:
            return Decimal(str(points)), Decimal(str(threshold))
    return Decimal(0), None


def combine(
    *,
    objective: Decimal,
    review: Decimal | None,
    satisfaction: Decimal | None,
    bonus: Decimal,
    deduction: Decimal,
    vetoed: bool,
    rule: dict,
) -> Decimal:
    """S = wO·O + wR·R + wC·C + B − D, clamped to 0..max; 0 on a veto. Missing R or C count 0."""
    if vetoed:
        return Decimal("0.00")
    total = (
        rule["weight_objective"] * objective
        + rule["weight_review"] * (review or 0)
        + rule["weight_satisfaction"] * (satisfaction or 0)
        + min(bonus, rule["bonus_cap"])
        - deduction
    )
    return q2(min(max(total, Decimal(0)), rule["max_score"]))


def deduction_for(overdue: int, rule: dict) -> Decimal:
    """D: the rule's points per overdue weekly task, at most the rule's cap."""
    return q2(min(rule["deduction_per_task"] * overdue, rule["deduction_cap"]))


def rank(totals: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking (1, 1, 3) of star id -> total, highest first."""
    ordered = sorted(totals.values(), reverse=True)
    return {star_id: ordered.index(total) + 1 for star_id, total in totals.items()}


# --- the quarter -------------------------------------------------------------------------------


def grade_for(mean: Decimal) -> str:
    """The quarter's grade: excellent from 90, good from 80, fair from 70, pass from 60."""
    Grade = QuarterlyAssessment.Grade
    for threshold, grade in [(90, Grade.EXCELLENT), (80, Grade.GOOD), (70, Grade.FAIR)]:
        if mean >= threshold:
            return grade
    return Grade.PASS if mean >= 60 else Grade.FAIL


def status_for(mean: Decimal, vetoed: bool) -> str:
    """The star's status: withdrawn after a veto or below 70, lit from 80, kept otherwise."""
    Status = QuarterlyAssessment.Status
    if vetoed or mean < 70:
        return Status.WITHDRAWN
    return Status.LIT if mean >= 80 else Status.KEPT
