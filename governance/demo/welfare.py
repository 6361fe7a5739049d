"""The demo's jobs and welfare: training courses with their registrations, job placements and
temporary relief, through governance.services.welfare where a workflow exists (registration
while a course is open, relief applied for, approved and paid out).
"""

import datetime as dt
from decimal import Decimal

from community.models import Resident
from governance.demo.context import Demo, aware
from governance.models import JobPlacement, Relief, TrainingCourse
from governance.services.welfare import decide_relief, enroll, mark_relief_paid


def _working_age(demo: Demo, count: int, exclude: set[int]) -> list[Resident]:
    candidates = [
        r
        for r in demo.residents
        if 20 <= demo.year - r.birth_date.year <= 50 and r.id not in exclude
    ]
    return demo.rng.sample(candidates, count)


def build_welfare(demo: Demo) -> None:
    taken = build_courses(demo)
    build_placements(demo, taken)
    build_relief(demo)


def build_courses(demo: Demo) -> set[int]:
    """Each course opens, takes its registrations in the autumn and closes; returns the
    residents registered (a resident takes one course)."""
    taken: set[int] = set()
    for i, spec in enumerate(demo.year_spec.get("courses", [])):
        course = TrainingCourse.objects.create(
            community=demo.community,
            title=spec["title"],
            provider=spec.get("provider", ""),
            hours=40,
            starts_on=dt.date(demo.year + 1, 3, 1 + i * 7),
            capacity=spec["registrations"] + 5,
            registration_open=True,
        )
        people = _working_age(demo, spec["registrations"], taken)
        taken |= {r.id for r in people}
        for j, resident in enumerate(people):
            day = dt.date(demo.year, 10 + j % 3, 1 + j % 28)
            enroll(course=course, resident=resident, registered_on=day)
        course.registration_open = False
        course.save(update_fields=["registration_open"])
    return taken


def build_placements(demo: Demo, taken: set[int]) -> None:
    """Placements are plain records (no workflow): bulk-created."""
    placements = demo.year_spec.get("placements", [])
    placed = _working_age(demo, len(placements), taken)
    JobPlacement.objects.bulk_create(
        JobPlacement(
            community=demo.community,
            resident=resident,
            employer=spec["employer"],
            position=spec.get("position", ""),
            placed_on=dt.date(demo.year, 4 + 3 * i, 16),
        )
        for i, (spec, resident) in enumerate(zip(placements, placed, strict=True))
    )


def build_relief(demo: Demo) -> None:
    """Four low-income households apply for living relief; the secretary approves, and it is
    paid out three days later."""
    poor = [h for h in demo.households if h.is_low_income][:4]
    for i, household in enumerate(poor):
        month = 2 + 3 * i
        relief = Relief.objects.create(
            community=demo.community,
            household=household,
            kind=Relief.Kind.LIVING,
            amount=Decimal("1500.00"),
            reason="家庭临时生活困难。",
            applied_on=dt.date(demo.year, month, 6),
        )
        decide_relief(
            relief=relief,
            approve=True,
            note="",
            user=demo.secretary,
            now=aware(dt.date(demo.year, month, 9)),
        )
        mark_relief_paid(relief=relief, paid_on=dt.date(demo.year, month, 12))
