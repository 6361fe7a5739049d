"""The yearly honours (好家庭/好邻居/好楼栋/好单元): review, public notice, objections, winners.

nominate → review (shortlist or reject) → open_notice (≥ 5 days, publishes a notice) →
objections (upheld ones drop the nomination) → confirm_winners once the notice period is over
and no objection is left open.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import HonourCampaign, Nomination, NominationObjection, Notice
from governance.models.council import MIN_NOTICE_DAYS

NOMINEE_FIELD = {
    Nomination.Kind.FAMILY: "household",
    Nomination.Kind.NEIGHBOUR: "resident",
    Nomination.Kind.BUILDING: "building",
    Nomination.Kind.UNIT: "unit",
}


def _community_of(kind: str, nominee) -> int:
    if kind == Nomination.Kind.UNIT:
        return nominee.building.community_id
    return nominee.community_id


@transaction.atomic
def nominate(
    *, campaign: HonourCampaign, kind: str, nominee, citation: str, nominated_by: str = ""
) -> Nomination:
    if campaign.stage not in (HonourCampaign.Stage.NOMINATING, HonourCampaign.Stage.REVIEWING):
        raise ValidationError(_("This campaign no longer takes nominations."))
    if _community_of(kind, nominee) != campaign.community_id:
        raise ValidationError(_("The nominee is not in this community."))
    field = NOMINEE_FIELD[kind]
    if Nomination.objects.filter(campaign=campaign, kind=kind, **{field: nominee}).exists():
        raise ValidationError(
            _("%(nominee)s is already nominated for this honour.") % {"nominee": nominee}
        )
    return Nomination.objects.create(
        campaign=campaign,
        kind=kind,
        citation=citation,
        nominated_by=nominated_by,
        **{field: nominee},
    )


@transaction.atomic
def review_nomination(
    *,
    nomination: Nomination,
    shortlist: bool,
    note: str,
    user,
    now: datetime.datetime | None = None,
) -> Nomination:
    """Shortlist or reject a nomination (a rejection needs its reason); `now` is when the
    review took place (default: now)."""
    if nomination.campaign.stage not in (
        HonourCampaign.Stage.NOMINATING,
        HonourCampaign.Stage.REVIEWING,
    ):
        raise ValidationError(_("The shortlist is fixed once the public notice has started."))
    if not shortlist and not note.strip():
        raise ValidationError(_("Give the reason a nomination is not selected."))
    nomination.status = Nomination.Status.SHORTLISTED if shortlist else Nomination.Status.REJECTED
    nomination.review_note = note
    nomination.reviewed_by = user
    nomination.reviewed_at = now or timezone.now()
    nomination.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    if nomination.campaign.stage == HonourCampaign.Stage.NOMINATING:
        nomination.campaign.stage = HonourCampaign.Stage.REVIEWING
        nomination.campaign.save(update_fields=["stage"])
    return nomination


@transaction.atomic
def open_notice(
    *, campaign: HonourCampaign, starts_on: datetime.date, days: int = MIN_NOTICE_DAYS, user=None
) -> Notice:
    """Post the shortlist publicly for at least five days; the shortlist must fit the places."""
    if campaign.stage not in (HonourCampaign.Stage.NOMINATING, HonourCampaign.Stage.REVIEWING):
        raise ValidationError(_("The public notice has already been opened."))
    if days < MIN_NOTICE_DAYS:
        raise ValidationError(
            _("The public notice lasts at least %(days)d days.") % {"days": MIN_NOTICE_DAYS}
        )
    if campaign.nominations.filter(status=Nomination.Status.NOMINATED).exists():
        raise ValidationError(_("Review every nomination before the public notice."))
    counts = dict(
        campaign.nominations.filter(status=Nomination.Status.SHORTLISTED)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    if not counts:
        raise ValidationError(_("Nobody is shortlisted yet."))
    for kind, label in Nomination.Kind.choices:
        if counts.get(kind, 0) > campaign.places(kind):
            raise ValidationError(
                _("%(count)d shortlisted for “%(honour)s”, but there are only %(places)d places.")
                % {"count": counts[kind], "honour": label, "places": campaign.places(kind)}
            )
    campaign.stage = HonourCampaign.Stage.NOTICE
    campaign.notice_starts_on = starts_on
    campaign.notice_ends_on = starts_on + datetime.timedelta(days=days - 1)
    campaign.save(update_fields=["stage", "notice_starts_on", "notice_ends_on"])
    tz = timezone.get_current_timezone()
    return Notice.objects.create(
        community=campaign.community,
        title=_("Public notice of the shortlist: %(title)s") % {"title": campaign.title},
        category=Notice.Category.HONOUR,
        body=_(
            "The shortlist of the %(year)d honours is on public notice from %(start)s to "
            "%(end)s. See the honour roll; objections can be raised there."
        )
        % {
            "year": campaign.year,
            "start": campaign.notice_starts_on,
            "end": campaign.notice_ends_on,
        },
        status=Notice.Status.PUBLISHED,
        publish_at=datetime.datetime.combine(starts_on, datetime.time.min, tzinfo=tz),
        expires_at=datetime.datetime.combine(
            campaign.notice_ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        ),
        created_by=user,
    )


def notice_open(campaign: HonourCampaign, today: datetime.date) -> bool:
    return (
        campaign.stage == HonourCampaign.Stage.NOTICE
        and campaign.notice_starts_on <= today <= campaign.notice_ends_on
    )


@transaction.atomic
def object_to_nomination(
    *, nomination: Nomination, name: str, phone: str, text: str, today: datetime.date
) -> NominationObjection:
    if nomination.status != Nomination.Status.SHORTLISTED or not notice_open(
        nomination.campaign, today
    ):
        raise ValidationError(_("Objections are taken only while the shortlist is on notice."))
    return NominationObjection.objects.create(
        nomination=nomination, name=name, phone=phone, text=text
    )


@transaction.atomic
def settle_objection(
    *, objection: NominationObjection, upheld: bool, response: str, user
) -> NominationObjection:
    """Answer an objection; an upheld one removes the nomination from the shortlist."""
    if objection.status != NominationObjection.Status.OPEN:
        raise ValidationError(_("This objection has already been settled."))
    if not response.strip():
        raise ValidationError(_("Write the answer to the objection."))
    objection.status = (
        NominationObjection.Status.UPHELD if upheld else NominationObjection.Status.DISMISSED
    )
    objection.response = response
    objection.answered_by = user
    objection.save(update_fields=["status", "response", "answered_by"])
    if upheld:
        nomination = objection.nomination
        nomination.status = Nomination.Status.REJECTED
        nomination.review_note = _("Objection upheld: %(response)s") % {"response": response}
        nomination.save(update_fields=["status", "review_note"])
    return objection


@transaction.atomic
def confirm_winners(
    *, campaign: HonourCampaign, today: datetime.date, now: datetime.datetime | None = None
) -> int:
    """After the notice period, the remaining shortlist wins. Returns the number of winners.

    `now` is when the winners were confirmed (default: now); it must fall after the notice.
    """
    if campaign.stage != HonourCampaign.Stage.NOTICE:
        raise ValidationError(_("Open the public notice first."))
    if today <= campaign.notice_ends_on:
        raise ValidationError(
            _("The public notice runs until %(end)s; winners are confirmed after it.")
            % {"end": campaign.notice_ends_on}
        )
    open_objections = NominationObjection.objects.filter(
        nomination__campaign=campaign, status=NominationObjection.Status.OPEN
    ).count()
    if open_objections:
        raise ValidationError(
            _("%(count)d objection(s) are still open; settle them first.")
            % {"count": open_objections}
        )
    winners = campaign.nominations.filter(status=Nomination.Status.SHORTLISTED).update(
        status=Nomination.Status.WINNER
    )
    campaign.stage = HonourCampaign.Stage.CLOSED
    campaign.closed_at = now or timezone.now()
    campaign.save(update_fields=["stage", "closed_at"])
    return winners


def shortlist_counts(campaign: HonourCampaign) -> dict[str, int]:
    return dict(
        campaign.nominations.filter(
            Q(status=Nomination.Status.SHORTLISTED) | Q(status=Nomination.Status.WINNER)
        )
        .values_list("kind")
        .annotate(n=Count("id"))
    )
