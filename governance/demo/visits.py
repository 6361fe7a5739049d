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
    build_dual_registration_service(demo)


def build_dual_registration_service(demo: Demo) -> None:
    """The in-service party members' verified volunteer hours (双报到 service): each serves
    once a month from the month of their registration, but skips one month in nine, so the
    monthly rate of the indicator `dual_registration_service` is measured, not full."""
    in_service = [m for m in demo.party_members if m.kind == PartyMember.Kind.IN_SERVICE]
    # Four draws a member, as many as the demo has always taken here: the generator's later
    # draws (welfare, unity, project, scores) stay the same.
    activities = [
        demo.rng.choice(["爱心帮扶", "普法宣传", "卫生整治"]) for _ in range(4 * len(in_service))
    ]
    services = []
    for i, member in enumerate(in_service):
        registered = member.dual_registered_on
        for month in range(registered.month, 13):
            if (i + month) % 9 == 0:
                continue
            served_on = max(dt.date(demo.year, month, 18), registered + dt.timedelta(days=1))
            services.append(
                VolunteerService(
                    community=demo.community,
                    party_member=member,
                    activity=activities[(4 * i + month) % len(activities)],
                    served_on=served_on,
                    hours=Decimal("2.0"),
                    verified_by=demo.secretary,
                )
            )
    VolunteerService.objects.bulk_create(services)
