"""The annual summary (年度工作综述): the year's figures of a community, overall and per star.

The figures are the definitions of governance.queries.annual.figures evaluated over the year's
records; each star's section adds the scoring engine's results (the mean monthly score and the
four quarterly assessments).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count

from governance.models import MonthlyScore, QuarterlyAssessment, Star
from governance.queries.annual.figures import OVERVIEW, STARS
from governance.queries.annual.records import YearRecords
from governance.queries.annual.specs import Figure, evaluate
from governance.queries.links import admin_url, day
from governance.score_formula import q2


@dataclass
class StarSection:
    """One star's figures and its scores of the year."""

    star: Star
    figures: list[Figure] = field(default_factory=list)
    mean_score: Decimal | None = None
    months_scored: int = 0
    scores_url: str = ""
    quarters: list = field(default_factory=list)  # [(quarter, QuarterlyAssessment | None)]

    @property
    def quarters_lit(self) -> int:
        lit = QuarterlyAssessment.Status.LIT
        return sum(1 for _q, a in self.quarters if a is not None and a.status == lit)


@dataclass
class AnnualSummary:
    community: object
    year: int
    start: datetime.date
    end: datetime.date
    overview: list[Figure]
    sections: list[StarSection]

    def figure(self, key: str) -> Figure:
        for item in self.all_figures():
            if item.key == key:
                return item
        raise KeyError(key)

    def all_figures(self):
        yield from self.overview
        for section in self.sections:
            yield from section.figures

    def values(self) -> dict:
        """{key: value} of every figure (for tests and exports)."""
        return {item.key: item.value for item in self.all_figures()}


def annual_summary(*, community, year: int) -> AnnualSummary:
    """The year's figures of the community, overall and per star."""
    records = YearRecords(community=community, year=year)
    overview = evaluate(OVERVIEW, records)
    sections = [
        StarSection(star=star, figures=evaluate(STARS.get(star.code, ()), records, star))
        for star in Star.objects.for_community(community).order_by("order")
    ]
    _add_scores(sections, records)
    return AnnualSummary(
        community=community,
        year=year,
        start=records.start,
        end=records.end,
        overview=overview,
        sections=sections,
    )


def _add_scores(sections: list[StarSection], records: YearRecords) -> None:
    """The scoring engine's results: the mean monthly score and the four quarters per star."""
    start, end = records.start, records.end
    scores = {
        row["star_id"]: row
        for row in MonthlyScore.objects.filter(
            community=records.community, month__gte=start, month__lt=end
        )
        .values("star_id")
        .annotate(mean=Avg("total"), n=Count("id"))
        .order_by()
    }
    quarters = {
        (a.star_id, a.quarter): a
        for a in QuarterlyAssessment.objects.filter(community=records.community, year=records.year)
    }
    for section in sections:
        row = scores.get(section.star.id)
        if row is not None:
            section.mean_score = q2(row["mean"])
            section.months_scored = row["n"]
        section.scores_url = admin_url(
            "admin:governance_monthlyscore_changelist",
            {"star__id__exact": section.star.id, "month__gte": day(start), "month__lt": day(end)},
        )
        section.quarters = [(q, quarters.get((section.star.id, q))) for q in range(1, 5)]
