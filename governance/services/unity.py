"""Ethnic-unity pairings: contacts and the pairing-contact rate (indicator `pairing_contact`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Pairing, PairingContact
from governance.queries.indicators import rate_source


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


@rate_source("pairing_contact", gettext_lazy("Pairings with a contact in the period"))
def pairing_contact_rate(*, community, start, end, star=None) -> tuple[int, int]:
    """(pairings running in [start, end) with at least one contact then, pairings running).

    Pairings are the unity star's work: for any other star the rate is empty (0, 0).
    """
    if star is not None and star.code != "unity":
        return 0, 0
    contacted = PairingContact.objects.filter(
        pairing=OuterRef("pk"), contacted_on__gte=start, contacted_on__lt=end
    )
    pairings = Pairing.objects.for_community(community).active_between(start, end)
    counts = pairings.annotate(contacted=Exists(contacted)).aggregate(
        total=Count("id"), done=Count("id", filter=Q(contacted=True))
    )
    return counts["done"], counts["total"]
