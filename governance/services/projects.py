"""Livelihood projects: payments, milestone photos and progress, inspections."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Sum,
)
from django.utils.translation import gettext as _

from governance.models import (
    Contract,
    Inspection,
    Milestone,
    MilestonePhoto,
    Payment,
    Project,
)
from privacy.images import attach_photo, clean_photo


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
    attach_photo(photo, clean)
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
