"""The demo's home visits (policy visits matching the ledger, monthly care visits of the
households with a care tag) and the in-service party members' volunteer hours.

Thousands of rows that the registry's record_visit would only insert one by one after checking
that the resident met lives in the household (the demo names none): bulk-created instead.
"""

import datetime as dt
from decimal import Decimal

from community.models import PartyMember, ResidentTag, Visit, VolunteerService
from governance.demo.context import Demo


def build_visits(demo: Demo) -> None:
    """Policy visits matching the ledger's monthly campaigns, plus care visits."""
    visits = []
    households = demo.households
    cursor = demo.rng.randrange(len(households))
    for day, count in demo.policy_visits:
        for i in range(count):
            household = households[cursor % len(households)]
            cursor += 7
            visits.append(
                Visit(
                    community=demo.community,
                    household=household,
                    visitor=demo.grid_workers.get(household.building.grid_id),
                    visited_on=day.replace(day=min(28, 1 + i % 28)),
                    purpose=Visit.Purpose.POLICY,
                    findings="宣传医保、养老政策,发放宣传册。",
                )
            )
    tagged = sorted(
        set(
            ResidentTag.objects.filter(resident__community=demo.community).values_list(
                "resident__household_id", flat=True
            )
        )
    )
    by_id = {h.id: h for h in households}
    for month in range(1, 13):
        for household_id in tagged:
            household = by_id[household_id]
            visits.append(
                Visit(
                    community=demo.community,
                    household=household,
                    visitor=demo.grid_workers.get(household.building.grid_id),
                    visited_on=dt.date(demo.year, month, 5 + household_id % 20),
                    purpose=Visit.Purpose.CARE,
                    findings="身体状况良好,生活用品充足。",
                )
            )
    Visit.objects.bulk_create(visits, batch_size=1000)
    # Volunteer hours of the in-service party members (双报到 service).
    in_service = [m for m in demo.party_members if m.kind == PartyMember.Kind.IN_SERVICE]
    VolunteerService.objects.bulk_create(
        VolunteerService(
            community=demo.community,
            party_member=member,
            activity=demo.rng.choice(["爱心帮扶", "普法宣传", "卫生整治"]),
            served_on=dt.date(demo.year, 1 + (i * 5 + q) % 12, 18),
            hours=Decimal("2.0"),
            verified_by=demo.secretary,
        )
        for i, member in enumerate(in_service)
        for q in range(4)
    )
