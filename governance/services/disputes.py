"""Disputes (矛盾纠纷) and their mediation: the lifecycle rules that keep the mediation rate
(调处率) and the resolution rate (化解率) honest.

A dispute is found, may be accepted for mediation, and closes with an outcome; an agreement
must be signed before it can be fulfilled. Every way of saving a dispute (the back office, the
demo builder) goes through save_dispute(), which refuses a record that breaks these rules.

A dispute counts in the figures of the months it was found, accepted for mediation and closed
in (dispute_facts); a change to those facts in a month whose scores are locked needs the party
secretary and a reason (governance.services.locked_months), like a change to the ledger.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from governance.models import Dispute
from governance.services.locked_months import (
    community_stars,
    delete_guarded,
    facts,
    guard_months,
    touched_by,
)


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


def dispute_facts(dispute: Dispute | None, star_ids: list[int]) -> set:
    """What the dispute counts for in the months' figures (governance.queries.metrics): found
    (and whether major), accepted for mediation, closed with its outcome. A dispute of a star
    counts in that star's figures; one without a star in the community's (every star)."""
    if dispute is None:
        return set()
    stars = [dispute.star_id] if dispute.star_id else star_ids
    return facts(
        stars,
        [
            (dispute.found_on, "found", dispute.is_major),
            (dispute.mediation_accepted_on, "mediated"),
            (dispute.closed_on, "closed", dispute.outcome),
        ],
    )


def stored_facts(dispute: Dispute, star_ids: list[int], *, lock: bool = False) -> set:
    """The facts of the dispute as stored (none for a new one)."""
    if not dispute.pk:
        return set()
    queryset = Dispute.objects.select_for_update() if lock else Dispute.objects
    return dispute_facts(queryset.filter(pk=dispute.pk).first(), star_ids)


def dispute_touched(dispute: Dispute, *, lock: bool = False) -> frozenset:
    """The (star, month) pairs whose figures saving the dispute as it is now would change."""
    star_ids = community_stars(dispute.community_id)
    return touched_by(stored_facts(dispute, star_ids, lock=lock), dispute_facts(dispute, star_ids))


@transaction.atomic
def save_dispute(*, dispute: Dispute, actor, reason: str = "") -> Dispute:
    """Save a new or changed dispute once it keeps the lifecycle rules and the locked months."""
    check_dispute(dispute)
    guard_months(
        record=dispute,
        community=dispute.community_id,
        touched=dispute_touched(dispute, lock=True),
        actor=actor,
        reason=reason,
    )
    dispute.save()
    return dispute


@transaction.atomic
def delete_dispute(*, dispute: Dispute, actor, reason: str = "") -> None:
    """Delete a dispute; one counted in a locked month needs the secretary and a reason."""
    star_ids = community_stars(dispute.community_id)
    touched = {(star, month) for star, month, _detail in dispute_facts(dispute, star_ids)}
    delete_guarded(record=dispute, touched=touched, actor=actor, reason=reason)
