"""The demo's people: 1,200 households and 3,000 fictional residents, their care tags and
the party members (residents and in-service members registered with the community).

Residents are bulk-created: the encrypted fields are encrypted by their get_prep_value, the
blind indexes and masked copies are set by the models' own set_id_number/set_phone. Names come
from the pools of fixtures/demo/names.toml, never those of the people in the 2024 news report.
"""

import datetime as dt

from community.models import CareTag, Household, PartyMember, Resident, ResidentTag
from governance.demo.context import Demo


def build_people(demo: Demo) -> None:
    people = demo.places["people"]
    households = list(
        Household.objects.filter(community=demo.community)
        .order_by("id")
        .select_related("building__compound", "unit")
    )
    sizes = [demo.rng.choice((1, 2, 2, 3, 3, 3, 4)) for _ in households]
    diff = people["residents"] - sum(sizes)
    while diff:
        i = demo.rng.randrange(len(sizes))
        step = 1 if diff > 0 else -1
        if 1 <= sizes[i] + step <= 6:
            sizes[i] += step
            diff -= step
    # Minority households, whole families, until exactly the spec's count.
    groups = [code for code, weight in people["minority_groups"] for _ in range(weight)]
    ethnicity = ["01"] * len(households)
    order = list(range(len(households)))
    demo.rng.shuffle(order)
    remaining = people["minority_residents"]
    for i in order:
        if remaining == 0:
            break
        if sizes[i] <= remaining:
            ethnicity[i] = demo.rng.choice(groups)
            remaining -= sizes[i]
    residents = []
    for household, size, group in zip(households, sizes, ethnicity, strict=True):
        residents += family(demo, household, size, group)
    # bulk_create gives the rows their ids in order: the list is the residents by id.
    Resident.objects.bulk_create(residents, batch_size=500)
    # Heads of household and the household's contact phone. One save a household: bulk_update
    # writes these five columns as CASE expressions over 1,200 ids, three times slower.
    heads = {r.household.id: r for r in residents if r.relation_to_head == "户主"}
    for household in households:
        head = heads[household.id]
        household.head_id = head.id
        household.set_contact_phone(head.phone)
        household.is_low_income = demo.rng.random() < 0.03
        household.save(
            update_fields=[
                "head",
                "contact_phone",
                "contact_phone_masked",
                "contact_phone_last4",
                "is_low_income",
            ]
        )
    demo.households = households
    demo.residents = residents
    build_tags(demo)
    build_party(demo)


def family(demo: Demo, household: Household, size: int, group: str) -> list[Resident]:
    surname = None
    if group in ("03", "26"):
        surname = demo.rng.choice(demo.names["hui_surnames"])
    elif group == "01":
        surname = demo.rng.choice(demo.names["han_surnames"])
    members = []
    head_gender = demo.rng.choice("MMF")
    head_birth = demo.birth(28, 82)
    plan = [("户主", head_gender, head_birth)]
    if size >= 2:
        spouse_birth = dt.date(
            min(demo.year - 20, head_birth.year + demo.rng.randint(-3, 3)),
            demo.rng.randint(1, 12),
            demo.rng.randint(1, 28),
        )
        plan.append(("配偶", "F" if head_gender == "M" else "M", spouse_birth))
    for _ in range(size - len(plan)):
        child_year = min(demo.year - 1, head_birth.year + demo.rng.randint(22, 34))
        plan.append(
            ("子女", demo.rng.choice("MF"), dt.date(child_year, demo.rng.randint(1, 12), 15))
        )
    for relation, gender, birth in plan:
        if group == "01":
            name = demo.han_name(gender, surname if relation != "配偶" else None)
        else:
            name = demo.minority_name(gender, group, surname)
        resident = Resident(
            community=demo.community,
            household=household,
            name=name,
            gender=gender,
            birth_date=birth,
            ethnicity=group,
            relation_to_head=relation,
            residency_type=demo.rng.choice(
                [Resident.ResidencyType.REGISTERED] * 4 + [Resident.ResidencyType.PERMANENT]
            ),
            moved_in=dt.date(demo.rng.randint(1995, 2020), demo.rng.randint(1, 12), 1),
        )
        resident.set_id_number(demo.id_number(birth, gender))
        if demo.year - birth.year >= 16:
            resident.set_phone(demo.mobile())
        members.append(resident)
    return members


def build_tags(demo: Demo) -> None:
    tags = {t.name: t for t in CareTag.objects.filter(community=demo.community)}
    rows = []
    for resident in demo.residents:
        age = demo.year - resident.birth_date.year
        if age >= 75 and demo.rng.random() < 0.35:
            rows.append(
                ResidentTag(resident=resident, tag=tags["独居老人"], since=dt.date(2023, 1, 1))
            )
        elif age >= 65 and demo.rng.random() < 0.15:
            rows.append(
                ResidentTag(resident=resident, tag=tags["空巢老人"], since=dt.date(2023, 1, 1))
            )
        elif resident.household.is_low_income and resident.relation_to_head == "户主":
            rows.append(ResidentTag(resident=resident, tag=tags["低保"], since=dt.date(2022, 7, 1)))
        elif 25 <= age <= 55 and demo.rng.random() < 0.01:
            rows.append(
                ResidentTag(resident=resident, tag=tags["就业困难"], since=dt.date(2024, 1, 1))
            )
    ResidentTag.objects.bulk_create(rows, batch_size=500)


def build_party(demo: Demo) -> None:
    people = demo.places["people"]
    adults = [r for r in demo.residents if 25 <= demo.year - r.birth_date.year <= 80]
    chosen = demo.rng.sample(adults, people["resident_party_members"])
    members = []
    for resident in chosen:
        members.append(
            PartyMember(
                community=demo.community,
                kind=PartyMember.Kind.RESIDENT,
                resident=resident,
                joined_on=dt.date(demo.rng.randint(1975, 2020), demo.rng.randint(1, 12), 1),
                grid_id=resident.household.building.grid_id,
            )
        )
    units = [
        "红星一场机关",
        "红星一场学校",
        "红星一场医院",
        "红星一场供电所",
        "红星一场农业发展服务中心",
    ]
    grids = list(demo.grids.values())
    for i in range(people["in_service_party_members"]):
        member = PartyMember(
            community=demo.community,
            kind=PartyMember.Kind.IN_SERVICE,
            name=demo.han_name(demo.rng.choice("MF")),
            joined_on=dt.date(demo.rng.randint(1995, 2021), demo.rng.randint(1, 12), 1),
            work_unit=units[i % len(units)],
            home_branch=f"{units[i % len(units)]}党支部",
            dual_registered_on=dt.date(demo.year, 1 + i % 4, 10 + i % 15),
            grid=grids[i % len(grids)],
            skills=demo.rng.choice(["法律咨询", "医疗义诊", "家电维修", "政策宣讲", "文艺"]),
        )
        member.set_phone(demo.mobile())
        members.append(member)
    demo.party_members = PartyMember.objects.bulk_create(members)
    demo.party_members = list(PartyMember.objects.filter(community=demo.community).order_by("id"))
