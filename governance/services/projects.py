"""Livelihood projects: spending against budget (in SQL, Decimal), photos, payments, inspections."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
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
from django.utils.translation import gettext as _

from governance.models import (
    BudgetLine,
    Contract,
    Inspection,
    Milestone,
    MilestonePhoto,
    Payment,
    Project,
)
from privacy.images import clean_photo, make_thumbnail

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)


def _sum_subquery(queryset, field: str):
    """SUM(field) of a correlated subquery, 0 when there are no rows (no join fan-out)."""
    summed = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(t=Sum(field))
    return Coalesce(Subquery(summed.values("t")[:1], output_field=MONEY_FIELD), ZERO)


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
    progress = Subquery(
        Milestone.objects.filter(project=OuterRef("pk"))
        .order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(p=Avg("progress"))
        .values("p")[:1]
    )
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


@transaction.atomic
def record_payment(*, contract: Contract, amount: Decimal, paid_on, note: str = "", user=None):
    """Record a payment; paying more than the contract amount needs a new contract or variation."""
    if amount <= 0:
        raise ValidationError(_("A payment must be more than zero."))
    paid = Payment.objects.filter(contract=contract).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    if paid + amount > contract.amount:
        raise ValidationError(
            _(
                "This payment would bring the total paid on “%(contract)s” to ¥%(total)s, "
                "more than the contract amount ¥%(amount)s."
            )
            % {"contract": contract.title, "total": paid + amount, "amount": contract.amount}
        )
    return Payment.objects.create(
        contract=contract, amount=amount, paid_on=paid_on, note=note, recorded_by=user
    )


@transaction.atomic
def add_milestone_photo(*, milestone: Milestone, upload, stage: str, alt_text: str):
    """Clean the upload (re-encoded, EXIF removed) and keep it with a thumbnail."""
    if not alt_text.strip():
        raise ValidationError(_("Describe what the photo shows (for screen readers)."))
    clean = clean_photo(upload)
    photo = MilestonePhoto(milestone=milestone, stage=stage, alt_text=alt_text.strip())
    photo.image.save(clean.name, clean, save=False)
    thumb = make_thumbnail(clean)
    photo.thumbnail.save(thumb.name, thumb, save=False)
    photo.save()
    return photo


@transaction.atomic
def set_milestone_progress(*, milestone: Milestone, progress: int, done_on=None) -> Milestone:
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    if done_on is not None and progress != 100:
        raise ValidationError(_("A milestone can only be marked done at 100%."))
    milestone.progress = progress
    milestone.done_on = done_on
    milestone.save(update_fields=["progress", "done_on"])
    return milestone


@transaction.atomic
def record_inspection(
    *, project: Project, supervisor, inspected_on, findings: str, outcome: str, milestone=None
) -> Inspection:
    """A resident supervisor's inspection; the supervisor must live in the project's community."""
    if supervisor.community_id != project.community_id:
        raise ValidationError(_("The supervisor must be a resident of this community."))
    if milestone is not None and milestone.project_id != project.pk:
        raise ValidationError(_("The milestone belongs to another project."))
    return Inspection.objects.create(
        project=project,
        supervisor=supervisor,
        inspected_on=inspected_on,
        findings=findings,
        outcome=outcome,
        milestone=milestone,
    )
