"""The demo's residents' requests (诉求), taken through the same workflow staff use.

Every request is submitted with governance.services.requests.submit_request (a request from
the online form by the resident, one from any other channel filed by the grid worker and so
accepted at once), then moved by the staff steps of governance.services.request_workflow at
the times the plan gives: rejected or merged as a duplicate; or accepted, assigned, started,
resolved, followed up, rated by the resident and closed. An unsatisfied rating reopens the
request, as it does for real: the worker handles it again and the second rating closes it.
The spec's figures (fixtures/demo/2024.toml [requests]) so come out of the workflow's own rows.
"""

import datetime as dt
from dataclasses import dataclass

from community.models import Household
from governance.demo.context import Demo, aware
from governance.models import RequestCategory, ServiceRequest
from governance.services.request_workflow import Step, take_steps
from governance.services.requests import rate_request, submit_request

Channel, Satisfaction = ServiceRequest.Channel, ServiceRequest.Satisfaction
REJECT_REASON = "不属于社区受理范围,已告知居民向相关部门反映。"
RESOLUTION = "已协调相关部门处理完毕,居民确认。"
FOLLOW_UP = "电话回访,居民表示问题已处理。"
SECOND_RESOLUTION = "重新协调处理,居民确认问题已解决。"


@dataclass
class Plan:
    """What happens to the requests: outcomes in submission order and who is late or unhappy."""

    outcomes: list[str]
    days: list[dt.date]
    late: set[int]
    unsatisfied: set[int]


def _plan(demo: Demo, spec: dict) -> Plan:
    outcomes = (
        ["resolved"] * spec["resolved_in_year"]
        + ["rejected"] * spec["rejected"]
        + ["merged"] * spec["merged"]
    )
    demo.rng.shuffle(outcomes)
    outcomes += ["next_year"] * spec["resolved_next_year"]
    late = set(demo.rng.sample(range(spec["resolved_in_year"]), spec["late"]))
    unsatisfied = set(demo.rng.sample(range(spec["resolved_in_year"]), spec["unsatisfied"]))
    days = sorted(
        dt.date(demo.year, 1, 2) + dt.timedelta(days=demo.rng.randrange(0, 330))
        for _ in outcomes[: -spec["resolved_next_year"] or None]
    ) + [dt.date(demo.year, 12, 27 + i) for i in range(spec["resolved_next_year"])]
    return Plan(outcomes, days, late, unsatisfied)


@dataclass
class Case:
    """One handled request on its way through the year: who works on it and when."""

    sr: ServiceRequest
    worker: object
    accepted: dt.datetime
    resolved: dt.datetime
    satisfaction: str
    late: bool
    started: dt.datetime | None = None
    rated: dt.datetime | None = None


def build_requests(demo: Demo) -> None:
    spec = demo.year_spec["requests"]
    categories = {c.name: c for c in RequestCategory.objects.all()}
    pool = [
        categories[name]
        for name, weight in spec["categories"]
        if name in categories
        for _ in range(weight)
    ]
    plan = _plan(demo, spec)
    resolved_index = 0
    first_of_kind: dict[str, ServiceRequest] = {}
    rejects, merges, cases = [], [], []
    # The submissions, in date order (their references follow it).
    for number, (outcome, day) in enumerate(zip(plan.outcomes, plan.days, strict=True)):
        category = pool[demo.rng.randrange(len(pool))]
        sr, accepted = _submit(demo, category, day)
        worker = demo.worker_of(sr.grid_id)
        if outcome == "rejected":
            rejects.append(Step(sr, worker, accepted, {"reason": REJECT_REASON}))
        elif outcome == "merged":
            original = first_of_kind.get(category.name) or next(iter(first_of_kind.values()))
            merges.append(Step(sr, worker, accepted, {"duplicate_of": original}))
        else:
            in_year = outcome == "resolved"
            cases.append(
                _case(
                    demo,
                    sr,
                    accepted=accepted,
                    worker=worker,
                    late=in_year and resolved_index in plan.late,
                    unhappy=in_year and resolved_index in plan.unsatisfied,
                    next_year=None if in_year else dt.date(demo.year + 1, 1, 3 + number % 3),
                )
            )
            if in_year:
                resolved_index += 1
                first_of_kind.setdefault(category.name, sr)
    # The staff's work, one step of the workflow at a time for all the requests it concerns.
    take_steps("reject", rejects)
    take_steps("merge", merges)
    _handle(demo, cases)


def _submit(demo: Demo, category, day: dt.date) -> tuple[ServiceRequest, dt.datetime]:
    """Submit one request; returns it with the time the work on it starts (its acceptance,
    for one filed by staff the moment the worker takes it up)."""
    household: Household = demo.rng.choice(demo.households)
    building = household.building
    submitted = aware(day, demo.rng.randint(8, 18), demo.rng.randint(0, 59))
    phone = demo.mobile()
    requester = demo.han_name(demo.rng.choice("MF"))[:1] + "先生"
    channel = demo.rng.choice(list(Channel.values))
    accepted = submitted + dt.timedelta(minutes=demo.rng.randint(5, 50))
    # Staff file what reaches them by phone, visit or at the desk: accepted on the spot.
    filed_by = None if channel == Channel.WEB else demo.worker_of(building.grid_id)
    sr = submit_request(
        community=demo.community,
        category=category,
        description=f"{category.name}:{building}{household.door_number}附近,请社区协调处理。",
        phone=phone,
        consent=True,
        requester_name=requester,
        building=building,
        unit=household.unit,
        channel=channel,
        actor=filed_by,
        now=submitted,
    )
    return sr, accepted


def _case(demo: Demo, sr, *, accepted, worker, late, unhappy, next_year) -> Case:
    """When the request is resolved (late: after its deadline) and how the resident rates it."""
    if late:
        resolved = sr.due_at + dt.timedelta(hours=demo.rng.randint(2, 30))
    elif next_year:
        resolved = aware(next_year, 16)
    else:
        resolved = accepted + (sr.due_at - accepted) * demo.rng.uniform(0.2, 0.85)
    satisfaction = (
        Satisfaction.UNSATISFIED
        if unhappy
        else demo.rng.choice([Satisfaction.SATISFIED] * 4 + [Satisfaction.BASICALLY])
    )
    return Case(sr, worker, accepted, resolved, satisfaction, late)


def _handle(demo: Demo, cases: list[Case]) -> None:
    """Accept (residents' submissions), assign, start and resolve, then follow up; the
    resident rates; an unsatisfied rating reopens the request, which is handled again (late
    again if it was late) and rated again; then every request is closed."""
    submitted = [c for c in cases if c.sr.status == ServiceRequest.Status.SUBMITTED]
    take_steps("accept", [Step(c.sr, c.worker, c.accepted) for c in submitted])
    take_steps(
        "assign",
        [
            Step(
                c.sr,
                demo.secretary,
                c.accepted + (c.resolved - c.accepted) * 0.1,
                {"assignee": c.worker},
            )
            for c in cases
        ],
    )
    for c in cases:
        c.started = c.accepted + (c.resolved - c.accepted) * 0.3
    _work(cases, note=RESOLUTION)
    unhappy = [c for c in cases if c.sr.status != ServiceRequest.Status.FOLLOWED_UP]
    for c in unhappy:
        # Reopened with a fresh deadline: handled again (late again if it was late).
        c.started = c.rated + dt.timedelta(hours=2)
        again = c.sr.due_at + dt.timedelta(hours=2) if c.late else c.rated + dt.timedelta(days=1)
        c.resolved = again
        c.satisfaction = Satisfaction.BASICALLY
    _work(unhappy, note=SECOND_RESOLUTION)
    take_steps("close", [Step(c.sr, c.worker, c.rated + dt.timedelta(hours=1)) for c in cases])


def _work(cases: list[Case], *, note: str) -> None:
    """Start and resolve; the follow-up call the next day; the resident's rating two hours
    later, which leaves each case's request as the rating left it (reopened if unsatisfied)."""
    take_steps("start", [Step(c.sr, c.worker, c.started) for c in cases])
    take_steps("resolve", [Step(c.sr, c.worker, c.resolved, {"note": note}) for c in cases])
    take_steps(
        "follow_up",
        [
            Step(c.sr, c.worker, c.resolved + dt.timedelta(days=1), {"note": FOLLOW_UP})
            for c in cases
        ],
    )
    for c in cases:
        c.rated = c.resolved + dt.timedelta(days=1, hours=2)
        c.sr = rate_request(
            service_request=c.sr,
            solved=c.satisfaction != Satisfaction.UNSATISFIED,
            satisfaction=c.satisfaction,
            now=c.rated,
        )
