"""Disputes (矛盾纠纷) and their mediation: the lifecycle rules that keep the mediation rate
(调处率) and the resolution rate (化解率) honest.

A dispute is found, may be accepted for mediation, and closes with an outcome; an agreement
must be signed before it can be fulfilled. Every way of saving a dispute (the back office, the
demo builder) goes through save_dispute(), which refuses a record that breaks these rules.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from governance.models import Dispute


def lifecycle_errors(
    *,
    status: str,
    outcome: str = "",
    found_on: datetime.date | None = None,
    mediation_accepted_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    agreement_signed: bool = False,
    agreement_fulfilled: bool = False,
) -> dict[str, list]:
    """The lifecycle rules a dispute's fields break, by field (empty when none)."""
    errors: dict[str, list] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    accepted, closed = mediation_accepted_on, closed_on
    if found_on and accepted and accepted < found_on:
        refuse("mediation_accepted_on", _("Mediation cannot start before the dispute was found."))
    if found_on and closed and closed < found_on:
        refuse("closed_on", _("A dispute cannot close before it was found."))
    if status == Dispute.Status.CLOSED:
        if not outcome:
            refuse("outcome", _("A closed dispute needs its outcome."))
        if not closed:
            refuse("closed_on", _("A closed dispute needs the date it closed."))
    elif outcome or closed:
        refuse("status", _("Set the status to closed when recording the outcome."))
    if status == Dispute.Status.MEDIATING and not accepted:
        refuse("mediation_accepted_on", _("Enter the date the dispute was accepted for mediation."))
    if agreement_fulfilled and not agreement_signed:
        refuse("agreement_fulfilled", _("Only a signed agreement can be fulfilled."))
    return errors


def check_dispute(dispute: Dispute) -> None:
    """Raise a ValidationError by field when the dispute breaks a lifecycle rule."""
    errors = lifecycle_errors(
        status=dispute.status,
        outcome=dispute.outcome,
        found_on=dispute.found_on,
        mediation_accepted_on=dispute.mediation_accepted_on,
        closed_on=dispute.closed_on,
        agreement_signed=dispute.agreement_signed,
        agreement_fulfilled=dispute.agreement_fulfilled,
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_dispute(*, dispute: Dispute) -> Dispute:
    """Save a new or changed dispute once it keeps the lifecycle rules."""
    check_dispute(dispute)
    dispute.save()
    return dispute
