"""The demo's ethnic-unity work: pairings of party members with minority households and their
monthly contacts (governance.services.unity), and the year's honours campaign taken through
governance.services.honours: nominations, the review, the public notice, the winners.
"""

import datetime as dt

from community.models import PartyMember, Resident, Unit
from governance.demo.context import Demo, aware
from governance.models import HonourCampaign, Pairing, PairingContact
from governance.services.honours import confirm_winners, nominate, open_notice, review_nomination
from governance.services.unity import record_contact

CITATION = "邻里和睦、热心公益,积极参与民族团结活动。"
NOT_SELECTED = "名额有限,本年度未入选。"


def build_unity(demo: Demo) -> None:
    spec = demo.year_spec.get("unity", {})
    build_pairings(demo, spec.get("pairings", 0))
    if spec.get("honours"):
        build_honours(demo, spec["honours"], spec.get("runners_up", {}))


def build_pairings(demo: Demo, count: int) -> None:
    """Resident party members paired with the first minority households (since the previous
    September), each pairing contacted once a month."""
    minority_ids = set(
        Resident.objects.filter(community=demo.community, relation_to_head="户主")
        .exclude(ethnicity__in=["", "01"])
        .values_list("household_id", flat=True)
    )
    helped = [h for h in demo.households if h.id in minority_ids][:count]
    helpers = [m for m in demo.party_members if m.kind == PartyMember.Kind.RESIDENT]
    pairings = Pairing.objects.bulk_create(
        Pairing(
            community=demo.community,
            helper_kind=Pairing.HelperKind.PARTY_MEMBER,
            helper_party_member=helpers[i % len(helpers)],
            helped_household=household,
            started_on=dt.date(demo.year - 1, 9, 1),
            goals="就业、子女上学和生活困难帮扶。",
        )
        for i, household in enumerate(helped)
    )
    kinds = list(PairingContact.Kind.values)
    for i, pairing in enumerate(pairings):
        for month in range(1, 13):
            record_contact(
                pairing=pairing,
                contacted_on=dt.date(demo.year, month, 8 + i % 15),
                kind=demo.rng.choice(kinds),
                help_given="走访慰问,了解生活和就业需求。",
                user=demo.lead("unity"),
            )


def _nominees(demo: Demo, honours: dict, runners: dict) -> dict[str, list]:
    """Per kind, the winners first and then the runners-up (drawn at random)."""
    flats = sorted({h.building for h in demo.households}, key=lambda b: b.id)
    unit_ids = sorted({h.unit_id for h in demo.households if h.unit_id})
    picks = {
        "family": demo.rng.sample(demo.households, honours["family"] + runners.get("family", 0)),
        "neighbour": demo.rng.sample(
            demo.residents, honours["neighbour"] + runners.get("neighbour", 0)
        ),
        "building": demo.rng.sample(flats, honours["building"] + runners.get("building", 0)),
        "unit": demo.rng.sample(unit_ids, honours["unit"] + runners.get("unit", 0)),
    }
    units = Unit.objects.select_related("building").in_bulk(picks["unit"])
    picks["unit"] = [units[unit_id] for unit_id in picks["unit"]]
    return picks


def build_honours(demo: Demo, honours: dict, runners: dict) -> None:
    """Nominated by the grids, reviewed on 7 October (the runners-up not selected), on public
    notice 8-14 October, winners confirmed on the 15th."""
    campaign = HonourCampaign.objects.create(
        community=demo.community,
        year=demo.year,
        title=f"{demo.year}年民族团结进步创建评选",
        **{f"{kind}_places": places for kind, places in honours.items()},
    )
    reviewed = aware(dt.date(demo.year, 10, 7))
    for kind, chosen in _nominees(demo, honours, runners).items():
        for i, nominee in enumerate(chosen):
            nomination = nominate(
                campaign=campaign,
                kind=kind,
                nominee=nominee,
                citation=CITATION,
                nominated_by="网格推荐",
            )
            winner = i < honours[kind]
            review_nomination(
                nomination=nomination,
                shortlist=winner,
                note="" if winner else NOT_SELECTED,
                user=demo.secretary,
                now=reviewed,
            )
    campaign.refresh_from_db()
    open_notice(campaign=campaign, starts_on=dt.date(demo.year, 10, 8), days=7, user=demo.secretary)
    closed = dt.date(demo.year, 10, 15)
    confirm_winners(campaign=campaign, today=closed, now=aware(closed))
