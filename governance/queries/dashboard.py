"""Reads for the secretary's dashboard (/dashboard/): a fixed number of queries per page.

Every figure is stored by the scoring engine (governance.services.scoring, SQL aggregation) or
aggregated here in SQL; Python only arranges the handful of rows for display.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.db.models import Count
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from governance.models import IndicatorResult, MonthlyScore, Star, WeeklyTask
from governance.periods import month_start, months_back, next_month
from governance.queries.spreadsheet import text_cell

TREND_MONTHS = 12
ATTENTION_LIMIT = 20

# The trend chart's drawing box (SVG user units).
CHART_WIDTH = 720
CHART_HEIGHT = 260
CHART_LEFT = 40
CHART_RIGHT = 16
CHART_TOP = 12
CHART_BOTTOM = 36
CHART_MAX = 110


@dataclass
class StarRow:
    star: Star
    score: MonthlyScore | None
    results: list[IndicatorResult] = field(default_factory=list)


@dataclass
class TrendLine:
    star: Star
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[dict]


@dataclass
class Trend:
    months: list[dict]
    lines: list[TrendLine]
    gridlines: list[dict]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT
    label_x: int = CHART_LEFT - 6


def trend_chart(*, stars: list[Star], months: list[datetime.date], totals: dict) -> Trend:
    """The geometry of the 12-month trend (drawn as SVG by the template; no script)."""
    inner_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    inner_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = inner_w / max(len(months) - 1, 1)

    def x(i):
        return round(CHART_LEFT + i * step, 1)

    def y(value):
        value = min(max(float(value), 0), CHART_MAX)
        return round(CHART_TOP + inner_h * (1 - value / CHART_MAX), 1)

    lines = []
    for star in stars:
        dots = [
            {
                "x": x(i),
                "y": y(totals[(star.id, month)]),
                "month": month,
                "total": totals[(star.id, month)],
            }
            for i, month in enumerate(months)
            if (star.id, month) in totals
        ]
        points = " ".join(f"{dot['x']},{dot['y']}" for dot in dots)
        lines.append(TrendLine(star=star, points=points, dots=dots))
    gridlines = [{"y": y(value), "label": value} for value in range(0, CHART_MAX + 1, 20)]
    labels = [
        {"x": x(i), "label": f"{month:%m}", "year": f"{month:%Y}", "month": month}
        for i, month in enumerate(months)
    ]
    return Trend(months=labels, lines=lines, gridlines=gridlines)


def month_dashboard(*, community, month: datetime.date, today: datetime.date) -> dict:
    """Everything the month page shows, in seven queries whatever the size of the data."""
    month = month_start(month)
    stars = list(Star.objects.for_community(community).order_by("order", "id"))  # 1
    scores = {
        score.star_id: score
        for score in MonthlyScore.objects.for_community(community)  # 2
        .for_month(month)
        .select_related("reviewed_by", "locked_by")
    }
    results: dict[int, list[IndicatorResult]] = {}
    for result in IndicatorResult.objects.filter(  # 3
        score__community=community, score__month=month
    ).order_by("order", "id"):
        results.setdefault(result.score_id, []).append(result)
    rows = []
    for star in stars:
        score = scores.get(star.id)
        if score is not None:
            score.star = star
        rows.append(
            StarRow(star=star, score=score, results=results.get(score.id, []) if score else [])
        )
    ranked = sorted(
        rows, key=lambda r: (r.score is None, r.score.rank if r.score else 0, r.star.order)
    )

    months = months_back(month, TREND_MONTHS)
    totals = {
        (row["star_id"], row["month"]): row["total"]
        for row in MonthlyScore.objects.for_community(community)  # 4
        .filter(month__gte=months[0], month__lte=month)
        .values("star_id", "month", "total")
        .order_by()
    }
    # Needs attention: tasks still open after their due date (finished late ones only cost points).
    overdue = WeeklyTask.objects.for_community(community).open().filter(due_date__lt=today)
    overdue_count = overdue.aggregate(n=Count("id"))["n"]  # 5
    overdue_tasks = list(  # 6
        overdue.select_related("star", "owner").order_by("due_date", "id")[:ATTENTION_LIMIT]
    )
    stale_scores = list(  # 7
        MonthlyScore.objects.for_community(community)
        .filter(stale=True)
        .select_related("star")
        .order_by("-month", "star__order")[:ATTENTION_LIMIT]
    )
    present = [row.score for row in rows if row.score is not None]
    states = {score.state for score in present}
    return {
        "month": month,
        "previous_month": months[-2],
        "next_month": next_month(month),
        "rows": ranked,
        "stars": stars,
        "computed": bool(present),
        "complete": len(present) == len(stars),
        "locked": states == {MonthlyScore.State.LOCKED} and len(present) == len(stars),
        "all_reviewed": bool(present)
        and len(present) == len(stars)
        and MonthlyScore.State.DRAFT not in states,
        "any_locked": MonthlyScore.State.LOCKED in states,
        "mean": (sum((s.total for s in present), Decimal(0)) / len(present) if present else None),
        "trend": trend_chart(stars=stars, months=months, totals=totals),
        "overdue_count": overdue_count,
        "overdue_tasks": overdue_tasks,
        "stale_scores": stale_scores,
    }


def star_month(*, community, star: Star, month: datetime.date):
    """The score of one star's month with its indicator results (the explanation page)."""
    score = (
        MonthlyScore.objects.for_community(community)
        .for_month(month_start(month))
        .filter(star=star)
        .select_related("star", "reviewed_by", "locked_by")
        .first()
    )
    results = list(score.results.order_by("order", "id")) if score else []
    changes = list(score.locked_changes.select_related("user")[:50]) if score else []
    return score, results, changes


def week_tasks(*, community, star: Star, week: datetime.date):
    return list(
        WeeklyTask.objects.for_community(community)
        .filter(star=star, week_start=week)
        .select_related("owner", "carried_from")
        .order_by("due_date", "id")
    )


# --- the month as a spreadsheet ----------------------------------------------------------------


def _missing(result: IndicatorResult) -> str:
    """The cell of an indicator without an actual: "not available" and why."""
    if not result.missing:
        return _("not available")
    return f"{_('not available')}: {result.get_missing_display()}"


def month_workbook(*, community, data: dict) -> bytes:
    """The month's scores and indicator results as an XLSX file."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scores")
    header = [
        _("Rank"),
        _("Star"),
        _("Objective (O)"),
        _("Review (R)"),
        _("Satisfaction (C)"),
        _("Bonus (B)"),
        _("Deduction (D)"),
        _("Overdue tasks"),
        _("Veto"),
        _("Score"),
        _("State"),
        _("Review comment"),
    ]
    sheet.append([f"{community.full_name} {data['month']:%Y-%m}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        score = row.score
        if score is None:
            sheet.append(["", text_cell(row.star.name)])
            continue
        sheet.append(
            [
                score.rank,
                text_cell(row.star.name),
                float(score.objective),
                float(score.review) if score.review is not None else None,
                float(score.satisfaction) if score.satisfaction is not None else None,
                float(score.bonus),
                float(score.deduction),
                score.overdue_tasks,
                _("yes") if score.vetoed else "",
                float(score.total),
                str(score.get_state_display()),
                text_cell(score.review_comment),
            ]
        )
    details = book.create_sheet(_("Indicators"))
    details.append(
        [
            _("Star"),
            _("Indicator"),
            _("Actual"),
            _("Target"),
            _("Share of target (%)"),
            _("Points"),
            _("Weight"),
        ]
    )
    for cell in details[1]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        for result in row.results:
            details.append(
                [
                    text_cell(row.star.name),
                    text_cell(result.name),
                    float(result.actual) if result.actual is not None else _missing(result),
                    float(result.target),
                    float(result.share) if result.share is not None else None,
                    float(result.points),
                    float(result.weight),
                ]
            )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
