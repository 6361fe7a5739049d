"""Livelihood projects' figures: spending against budget, in SQL and in Decimal."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from governance.models import BudgetLine, Contract, Milestone, Payment, Project

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)


def aggregate_subquery(queryset, aggregate, output_field=None) -> Subquery:
    """One aggregate over a correlated subquery's rows (no join fan-out); NULL when none."""
    grouped = queryset.order_by().annotate(_one=Value(1)).values("_one")
    return Subquery(grouped.annotate(_agg=aggregate).values("_agg")[:1], output_field=output_field)


def _sum_subquery(queryset, field: str):
    """SUM(field) of a correlated subquery, 0 when there are no rows."""
    return Coalesce(aggregate_subquery(queryset, Sum(field), MONEY_FIELD), ZERO)


def budget_lines_with_spending(project: Project):
    """Each budget line with contracted, spent and variance (budget − spent), in one query."""
    contracted = _sum_subquery(Contract.objects.filter(budget_line=OuterRef("pk")), "amount")
    spent = _sum_subquery(Payment.objects.filter(contract__budget_line=OuterRef("pk")), "amount")
    return (
        BudgetLine.objects.filter(project=project)
        .annotate(contracted=contracted, spent=spent)
        .annotate(variance=ExpressionWrapper(F("amount") - F("spent"), output_field=MONEY_FIELD))
        .order_by("order", "id")
    )


@dataclass(frozen=True)
class ProjectFigures:
    budget: Decimal
    budgeted: Decimal
    contracted: Decimal
    spent: Decimal
    progress: int
    milestones: int
    milestones_done: int

    @property
    def variance(self) -> Decimal:
        """Budget left (positive) or overspent (negative)."""
        return self.budget - self.spent

    @property
    def spent_percent(self) -> int:
        return int(self.spent * 100 / self.budget) if self.budget else 0

    @property
    def overspent(self) -> bool:
        return self.spent > self.budget


def projects_with_figures(queryset):
    """Annotate projects with spent, contracted and progress (a few subqueries, no fan-out)."""
    contracted = _sum_subquery(Contract.objects.filter(project=OuterRef("pk")), "amount")
    spent = _sum_subquery(Payment.objects.filter(contract__project=OuterRef("pk")), "amount")
    progress = aggregate_subquery(Milestone.objects.filter(project=OuterRef("pk")), Avg("progress"))
    return queryset.annotate(
        contracted=contracted,
        spent=spent,
        progress_avg=Coalesce(progress, Value(0.0)),
    )


def project_figures(project: Project) -> ProjectFigures:
    """The project's totals in two queries."""
    row = projects_with_figures(Project.objects.filter(pk=project.pk)).values(
        "budget", "contracted", "spent", "progress_avg"
    )[0]
    lines = BudgetLine.objects.filter(project=project).aggregate(total=Sum("amount"))
    counts = Milestone.objects.filter(project=project).aggregate(
        n=Count("id"), done=Count("id", filter=Q(done_on__isnull=False))
    )
    return ProjectFigures(
        budget=row["budget"],
        budgeted=lines["total"] or Decimal("0.00"),
        contracted=row["contracted"],
        spent=row["spent"],
        progress=round(row["progress_avg"] or 0),
        milestones=counts["n"],
        milestones_done=counts["done"],
    )
