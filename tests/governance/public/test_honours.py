import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from governance.models import HonourCampaign, Nomination, NominationObjection, Notice
from governance.services import honours as honour_services
from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory, UnitFactory

from .builders import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def campaign(community):
    return HonourCampaign.objects.create(
        community=community, year=2024, title="2024年度评选", family_places=1, unit_places=1
    )


def _shortlist(campaign, kind, nominee, user=None):
    nomination = honour_services.nominate(
        campaign=campaign, kind=kind, nominee=nominee, citation="邻里互助"
    )
    return honour_services.review_nomination(
        nomination=nomination, shortlist=True, note="", user=user
    )


def test_four_kinds_of_nominee(community, campaign):
    building = BuildingFactory(community=community)
    nominees = {
        "family": HouseholdFactory(community=community, building=building),
        "neighbour": ResidentFactory(community=community),
        "building": building,
        "unit": UnitFactory(building=building),
    }
    for kind, nominee in nominees.items():
        assert _shortlist(campaign, kind, nominee).nominee == nominee
    with pytest.raises(ValidationError, match="already nominated"):
        honour_services.nominate(
            campaign=campaign, kind="unit", nominee=nominees["unit"], citation="x"
        )


def test_nominee_from_another_community_is_refused(community, campaign):
    from governance.services.setup import set_up_community

    other = set_up_community(name="其他", slug="other")
    with pytest.raises(ValidationError, match="not in this community"):
        honour_services.nominate(
            campaign=campaign,
            kind="neighbour",
            nominee=ResidentFactory(community=other),
            citation="x",
        )


def test_notice_period_lasts_at_least_five_days(community, campaign):
    _shortlist(campaign, "neighbour", ResidentFactory(community=community))
    with pytest.raises(ValidationError, match="at least 5 days"):
        honour_services.open_notice(campaign=campaign, starts_on=TODAY, days=4)
    notice = honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    campaign.refresh_from_db()
    assert campaign.stage == HonourCampaign.Stage.NOTICE
    assert (campaign.notice_starts_on, campaign.notice_ends_on) == (TODAY, dt.date(2024, 6, 14))
    assert notice.category == Notice.Category.HONOUR and list(Notice.objects.public()) == [notice]
    assert honour_services.notice_open(campaign, dt.date(2024, 6, 14))
    assert not honour_services.notice_open(campaign, dt.date(2024, 6, 15))


def test_shortlist_must_fit_the_places_and_be_fully_reviewed(community, campaign):
    building = BuildingFactory(community=community)
    _shortlist(campaign, "family", HouseholdFactory(community=community, building=building))
    pending = honour_services.nominate(
        campaign=campaign,
        kind="family",
        nominee=HouseholdFactory(community=community, building=building),
        citation="x",
    )
    with pytest.raises(ValidationError, match="Review every nomination"):
        honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    honour_services.review_nomination(nomination=pending, shortlist=True, note="", user=None)
    with pytest.raises(ValidationError, match="only 1 places"):
        honour_services.open_notice(campaign=campaign, starts_on=TODAY)


def test_winners_only_after_the_notice_and_settled_objections(community, campaign, author):
    good = _shortlist(campaign, "neighbour", ResidentFactory(community=community))
    doubtful = _shortlist(campaign, "neighbour", ResidentFactory(community=community))
    honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    objection = honour_services.object_to_nomination(
        nomination=doubtful, name="王五", phone="", text="与事实不符", today=TODAY
    )
    with pytest.raises(ValidationError, match="runs until 2024-06-14"):
        honour_services.confirm_winners(campaign=campaign, today=dt.date(2024, 6, 14))
    with pytest.raises(ValidationError, match="still open"):
        honour_services.confirm_winners(campaign=campaign, today=dt.date(2024, 6, 15))
    with pytest.raises(ValidationError, match="only while the shortlist is on notice"):
        honour_services.object_to_nomination(
            nomination=good, name="王五", phone="", text="迟到的异议", today=dt.date(2024, 6, 15)
        )
    honour_services.settle_objection(
        objection=objection, upheld=True, response="核实属实", user=author
    )
    assert honour_services.confirm_winners(campaign=campaign, today=dt.date(2024, 6, 15)) == 1
    good.refresh_from_db()
    doubtful.refresh_from_db()
    assert (good.status, doubtful.status) == (Nomination.Status.WINNER, Nomination.Status.REJECTED)
    assert NominationObjection.objects.get().status == NominationObjection.Status.UPHELD


def test_dismissed_objection_keeps_the_nomination(community, campaign, author):
    nomination = _shortlist(campaign, "neighbour", ResidentFactory(community=community))
    honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    objection = honour_services.object_to_nomination(
        nomination=nomination, name="王五", phone="", text="不同意", today=TODAY
    )
    honour_services.settle_objection(
        objection=objection, upheld=False, response="经核实无误", user=author
    )
    with pytest.raises(ValidationError, match="already been settled"):
        honour_services.settle_objection(
            objection=objection, upheld=True, response="x", user=author
        )
    assert honour_services.confirm_winners(campaign=campaign, today=dt.date(2024, 6, 20)) == 1


def test_shortlist_is_fixed_during_the_notice(community, campaign):
    nomination = _shortlist(campaign, "neighbour", ResidentFactory(community=community))
    honour_services.open_notice(campaign=campaign, starts_on=TODAY)
    with pytest.raises(ValidationError, match="fixed"):
        honour_services.review_nomination(
            nomination=nomination, shortlist=False, note="x", user=None
        )
