"""The demo's livelihood project (康乐小区改造工程) and the residents' council that steered it.

The money goes through governance.services.projects (a payment never exceeds its contract),
the milestones are marked done there, and every council meeting runs the council's own rules
(governance.services.council): the motion is put on the agenda, the members sign in, vote
(one abstains), the motion is decided, its result posted publicly and its execution recorded.
"""

import datetime as dt
from decimal import Decimal

from community.models import Compound
from governance.demo.context import Demo, aware
from governance.models import (
    BudgetLine,
    Contract,
    Council,
    CouncilMeeting,
    CouncilMember,
    Milestone,
    Motion,
    Project,
    Vote,
)
from governance.services import council as council_rules
from governance.services.projects import record_payment, set_milestone_progress

AGENDAS = [
    "改造方案征求意见",
    "给排水、燃气改造方案比选",
    "外墙保温材料选购",
    "道路硬化与路灯位置",
    "施工质量监督员推选",
    "广场与健身器材选型",
    "竣工验收与“问题清单”销号",
    "改造后设施管护公约",
]
INSTALMENTS = [
    (dt.date(2022, 9, 20), Decimal("0.3")),
    (dt.date(2023, 8, 25), Decimal("0.4")),
    (dt.date(2024, 7, 18), None),  # the rest
]


def build_project(demo: Demo) -> None:
    spec = demo.year_spec.get("project")
    if not spec:
        return
    compound = Compound.objects.get(community=demo.community, name=spec["compound"])
    project = Project.objects.create(
        community=demo.community,
        name=spec["name"],
        summary=spec["summary"],
        compound=compound,
        budget=Decimal(sum(amount for _, amount in spec["lines"])),
        status=Project.Status.COMPLETED,
        started_on=spec["started_on"],
        finished_on=spec["finished_on"],
    )
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(project=project, title=title, amount=Decimal(amount), order=i)
        for i, (title, amount) in enumerate(spec["lines"])
    )
    build_contracts(demo, project, lines, share=Decimal(str(spec["paid_share"])))
    build_milestones(project, lines, finished_on=spec["finished_on"])
    build_council(demo, project, compound, spec)


def build_contracts(demo: Demo, project: Project, lines, *, share: Decimal) -> None:
    """One contract a budget line, paid `share` of its amount in three instalments."""
    contracts = Contract.objects.bulk_create(
        Contract(
            project=project,
            budget_line=line,
            contractor=f"新星市{line.title[:2]}工程有限公司",
            title=line.title,
            amount=line.amount,
            signed_on=dt.date(2022, 5 + i, 10),
        )
        for i, line in enumerate(lines)
    )
    for contract in contracts:
        paid = (contract.amount * share).quantize(Decimal("0.01"))
        left = paid
        for day, part in INSTALMENTS:
            amount = left if part is None else (paid * part).quantize(Decimal("0.01"))
            left -= amount
            record_payment(
                contract=contract,
                amount=amount,
                paid_on=day,
                note="按进度拨付",
                user=demo.lead("cobuild"),
            )


def build_milestones(project: Project, lines, *, finished_on: dt.date) -> None:
    for i, line in enumerate(lines):
        milestone = Milestone.objects.create(
            project=project,
            title=f"{line.title}完工",
            due_on=dt.date(2023 + i // 3, 10, 30),
            order=i,
        )
        done = dt.date(2023 + i // 3, 10, 20) if i < 5 else finished_on
        set_milestone_progress(milestone=milestone, progress=100, done_on=done)


def build_council(demo: Demo, project: Project, compound: Compound, spec: dict) -> None:
    council = Council.objects.create(
        community=demo.community, name="康乐小区居民议事会", established_on=dt.date(2022, 3, 1)
    )
    local = [r for r in demo.residents if r.household.building.compound_id == compound.id]
    local = [r for r in local if demo.year - r.birth_date.year >= 30]
    chosen = demo.rng.sample(local, spec["council_members"])
    members = CouncilMember.objects.bulk_create(
        CouncilMember(
            council=council,
            resident=resident,
            role=CouncilMember.Role.CHAIR if i == 0 else CouncilMember.Role.MEMBER,
            joined_on=dt.date(2022, 3, 1),
        )
        for i, resident in enumerate(chosen)
    )
    for i, day in enumerate(spec["council_meetings"]):
        hold_meeting(
            demo, project, members, day=day, agenda=AGENDAS[i % len(AGENDAS)], absent=i % 3
        )


def hold_meeting(demo: Demo, project, members, *, day: dt.date, agenda: str, absent: int):
    """One meeting: all but `absent` members sign in; all present vote for but one, who
    abstains; the result is posted the next day for six days and carried out a month later."""
    council = members[0].council
    meeting = CouncilMeeting.objects.create(
        council=council,
        held_on=day,
        place="康乐小区议事点",
        agenda=agenda,
        minutes=f"议题:{agenda}。与会居民充分讨论,形成一致意见。",
    )
    motion = Motion.objects.create(
        council=council,
        project=project,
        title=agenda,
        description=f"关于{agenda}的议题。",
        proposer=members[0],
        proposed_on=day - dt.timedelta(days=7),
    )
    council_rules.review_motion(motion=motion, meeting=meeting)
    present = members[: len(members) - absent]
    council_rules.record_attendance(meeting=meeting, members=present, now=aware(day, 11))
    for n, member in enumerate(present, start=1):
        choice = Vote.Choice.ABSTAIN if n == len(present) else Vote.Choice.FOR
        council_rules.cast_vote(motion=motion, member=member, choice=choice)
    motion = council_rules.decide_motion(motion=motion, now=aware(day, 11))
    council_rules.publish_result(
        motion=motion, starts_on=day + dt.timedelta(days=1), days=6, user=demo.secretary
    )
    council_rules.record_execution(
        motion=motion,
        execution=Motion.Execution.DONE,
        note="已按决议实施。",
        executed_on=day + dt.timedelta(days=30),
    )
