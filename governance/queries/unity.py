"""Ethnic-unity pairings: the pairing-contact rate (indicator `pairing_contact`)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from governance.models import Pairing, PairingContact
from governance.queries.indicators import rate_source


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
