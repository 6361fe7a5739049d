"""Ethnic-unity pairings: recording their contacts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import Pairing, PairingContact


@transaction.atomic
def record_contact(
    *, pairing: Pairing, contacted_on: datetime.date, kind: str, help_given: str, user=None
) -> PairingContact:
    if contacted_on < pairing.started_on or (pairing.ended_on and contacted_on > pairing.ended_on):
        raise ValidationError(_("%(day)s is outside the pairing's period.") % {"day": contacted_on})
    if not help_given.strip():
        raise ValidationError(_("Describe the help given."))
    return PairingContact.objects.create(
        pairing=pairing,
        contacted_on=contacted_on,
        kind=kind,
        help_given=help_given,
        recorded_by=user,
    )
