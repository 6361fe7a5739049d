"""Ethnic-unity pairings and their contacts.

A pairing counts in the months it started and ended in, a contact in the month it was made in
(the pairing-contact rate, governance.queries.unity, and the annual summary): the unity star's
figures. Saving, recording or deleting either goes through the locked-month guard of
governance.services.locked_months: a change to a locked month's figures needs the party
secretary and a reason, which is logged, like a change to the ledger.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Pairing, PairingContact, Star
from governance.services.locked_months import (
    community_stars,
    facts,
    guard_months,
    touched_by,
)


def unity_stars(community_id) -> list[int]:
    """The stars whose figures count pairings: the unity star (every star if there is none)."""
    stars = list(
        Star.objects.filter(community_id=community_id, code="unity").values_list("id", flat=True)
    )
    return stars or community_stars(community_id)


def pairing_facts(pairing: Pairing | None, stars: list[int]) -> set:
    if pairing is None:
        return set()
    return facts(stars, [(pairing.started_on, "started"), (pairing.ended_on, "ended")])


def contact_facts(contact: PairingContact | None, stars: list[int]) -> set:
    if contact is None:
        return set()
    return facts(stars, [(contact.contacted_on, "contact", contact.pairing_id)])


def _stored(model, record):
    return model.objects.filter(pk=record.pk).first() if record.pk else None


def pairing_touched(pairing: Pairing) -> frozenset:
    """The (star, month) pairs whose figures saving the pairing as it is now would change."""
    stars = unity_stars(pairing.community_id)
    return touched_by(
        pairing_facts(_stored(Pairing, pairing), stars), pairing_facts(pairing, stars)
    )


def contact_touched(contact: PairingContact, *, deleted: bool = False) -> frozenset:
    """The same for a contact saved as it is now (or deleted)."""
    stars = unity_stars(contact.pairing.community_id)
    after = set() if deleted else contact_facts(contact, stars)
    return touched_by(contact_facts(_stored(PairingContact, contact), stars), after)


@transaction.atomic
def save_pairing(*, pairing: Pairing, actor, reason: str = "") -> Pairing:
    guard_months(
        record=pairing,
        community=pairing.community_id,
        touched=pairing_touched(pairing),
        actor=actor,
        reason=reason,
    )
    pairing.save()
    return pairing


@transaction.atomic
def save_contact(*, contact: PairingContact, actor, reason: str = "") -> PairingContact:
    """Record or correct a contact within its pairing's period (the locked months' rule)."""
    pairing = contact.pairing
    day = contact.contacted_on
    if day < pairing.started_on or (pairing.ended_on and day > pairing.ended_on):
        raise ValidationError(_("%(day)s is outside the pairing's period.") % {"day": day})
    if not contact.help_given.strip():
        raise ValidationError(_("Describe the help given."))
    guard_months(
        record=contact,
        community=pairing.community_id,
        touched=contact_touched(contact),
        actor=actor,
        reason=reason,
    )
    if contact.recorded_by_id is None:
        contact.recorded_by = actor
    contact.save()
    return contact


@transaction.atomic
def delete_contact(*, contact: PairingContact, actor, reason: str = "") -> None:
    guard_months(
        record=contact,
        community=contact.pairing.community_id,
        touched=contact_touched(contact, deleted=True),
        actor=actor,
        reason=reason,
        action="delete",
    )
    contact.delete()


@transaction.atomic
def record_contact(
    *,
    pairing: Pairing,
    contacted_on: datetime.date,
    kind: str,
    help_given: str,
    user=None,
    reason: str = "",
) -> PairingContact:
    contact = PairingContact(
        pairing=pairing, contacted_on=contacted_on, kind=kind, help_given=help_given
    )
    return save_contact(contact=contact, actor=user, reason=reason)
