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
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    close_request,
    follow_up_request,
    merge_request,
    reject_request,
    resolve_request,
    start_request,
)
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
    for number, (outcome, day) in enumerate(zip(plan.outcomes, plan.days, strict=True)):
        category = pool[demo.rng.randrange(len(pool))]
        sr, accepted = _submit(demo, category, day)
        worker = demo.worker_of(sr.grid_id)
        if outcome == "rejected":
            reject_request(service_request=sr, actor=worker, reason=REJECT_REASON, now=accepted)
        elif outcome == "merged":
            original = first_of_kind.get(category.name) or next(iter(first_of_kind.values()))
            merge_request(service_request=sr, actor=worker, duplicate_of=original, now=accepted)
        else:
            in_year = outcome == "resolved"
            _handle(
                demo,
                sr,
                accepted=accepted,
                worker=worker,
                late=in_year and resolved_index in plan.late,
                unhappy=in_year and resolved_index in plan.unsatisfied,
                next_year=None if in_year else dt.date(demo.year + 1, 1, 3 + number % 3),
            )
            if in_year:
                resolved_index += 1
                first_of_kind.setdefault(category.name, sr)


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


def _handle(demo: Demo, sr, *, accepted, worker, late, unhappy, next_year) -> None:
    """Accept (resident's submissions), assign, start and resolve, then follow up and close."""
    if sr.status == ServiceRequest.Status.SUBMITTED:
        sr = accept_request(service_request=sr, actor=worker, now=accepted)
    if late:
        resolved = sr.due_at + dt.timedelta(hours=demo.rng.randint(2, 30))
    elif next_year:
        resolved = aware(next_year, 16)
    else:
        resolved = accepted + (sr.due_at - accepted) * demo.rng.uniform(0.2, 0.85)
    sr = assign_request(
        service_request=sr,
        actor=demo.secretary,
        assignee=worker,
        now=accepted + (resolved - accepted) * 0.1,
    )
    started = accepted + (resolved - accepted) * 0.3
    sr = _work(sr, worker, started=started, resolved=resolved, note=RESOLUTION)
    satisfaction = (
        Satisfaction.UNSATISFIED
        if unhappy
        else demo.rng.choice([Satisfaction.SATISFIED] * 4 + [Satisfaction.BASICALLY])
    )
    sr, rated = _follow_up_and_rate(sr, worker, resolved=resolved, satisfaction=satisfaction)
    if unhappy:
        # Reopened with a fresh deadline: handled again (late again if it was late).
        again = sr.due_at + dt.timedelta(hours=2) if late else rated + dt.timedelta(days=1)
        started = rated + dt.timedelta(hours=2)
        sr = _work(sr, worker, started=started, resolved=again, note=SECOND_RESOLUTION)
        sr, rated = _follow_up_and_rate(
            sr, worker, resolved=again, satisfaction=Satisfaction.BASICALLY
        )
    close_request(service_request=sr, actor=worker, now=rated + dt.timedelta(hours=1))


def _work(sr, worker, *, started: dt.datetime, resolved: dt.datetime, note: str):
    sr = start_request(service_request=sr, actor=worker, now=started)
    return resolve_request(service_request=sr, actor=worker, note=note, now=resolved)


def _follow_up_and_rate(sr, worker, *, resolved: dt.datetime, satisfaction: str):
    """The follow-up call the next day, then the resident's rating two hours later; returns
    the request as the rating left it (reopened if unsatisfied) and the rating's time."""
    followed = resolved + dt.timedelta(days=1)
    follow_up_request(service_request=sr, actor=worker, note=FOLLOW_UP, now=followed)
    rated = followed + dt.timedelta(hours=2)
    sr = rate_request(
        service_request=sr,
        solved=satisfaction != Satisfaction.UNSATISFIED,
        satisfaction=satisfaction,
        now=rated,
    )
    return sr, rated
