"""The demo's work ledger (台账) and weekly dispatch (周调度), written through the same
services staff use (governance.services.ledger): who may write for which star, the stars of a
joint entry, the cleaning and thumbnail of a photo, the closing date of a task.
"""

import datetime as dt

from governance.demo.context import Demo, month_days, spread
from governance.models import WeeklyTask, WorkLog
from governance.services.ledger import (
    add_work_log_photo,
    save_weekly_tasks,
    save_work_logs,
)

PLACES = ["社区党群服务中心", "康乐小区广场", "星光花苑二期", "社区活动室"]
FIGURES = ("participants", "households_reached", "brochures", "online_posts")


def build_ledger(demo: Demo) -> None:
    """Each [[ledger]] block of the spec becomes `count` entries spread over the year; the
    first `photos` of a block are public with a generated photo (made once every entry is
    written, so the generator's draws keep their order)."""
    with_photos = []
    for block in demo.year_spec.get("ledger", []):
        with_photos += _ledger_block(demo, block)
    for entry in with_photos:
        add_work_log_photo(
            worklog=entry, upload=demo.next_photo(), actor=entry.author, alt_text=entry.title
        )


def _ledger_block(demo: Demo, block: dict) -> list[WorkLog]:
    """Write one block's entries; returns those that get a photo."""
    count = block["count"]
    days = month_days(demo.year, count)
    titles = block.get("titles") or [block["title"]]
    figures = {name: spread(block.get(name, 0), count) for name in FIGURES}
    if block.get("households_reached"):
        # The policy visits of each month match the month's entry (see visits.build_visits).
        demo.policy_visits = list(zip(days, figures["households_reached"], strict=True))
    photos = block.get("photos", 0)
    stars = [demo.stars[code] for code in block["stars"]]
    author = demo.lead(block["stars"][0])
    entries = []
    for i, day in enumerate(days):
        title = titles[i % len(titles)]
        entry = WorkLog(
            community=demo.community,
            date=day,
            kind=block["kind"],
            title=title,
            description=f"{title}({day:%m月%d日})",
            place=demo.rng.choice(PLACES),
            is_public=i < photos,
            author=author,
            **{name: figures[name][i] for name in FIGURES},
        )
        entries.append((entry, stars))
    save_work_logs(entries=entries, actor=author)
    return [entry for entry, _stars in entries[:photos]]


def build_weekly_tasks(demo: Demo) -> None:
    """One task a star a week, set by the secretary and recorded done by its due Friday (the
    spec's late weeks three days after), saved as the task form saves each (all at once)."""
    late = {(code, week) for code, week in demo.year_spec.get("weekly", {}).get("late", [])}
    monday = dt.date.fromisocalendar(demo.year, 1, 1)
    week = 1
    tasks = []
    while monday.year <= demo.year and week <= 52:
        for code, star in demo.stars.items():
            due = monday + dt.timedelta(days=4)
            tasks.append(
                WeeklyTask(
                    community=demo.community,
                    star=star,
                    week_start=monday,
                    title=f"{star.name}第{week}周工作",
                    owner=demo.lead(code),
                    due_date=due,
                    status=WeeklyTask.Status.DONE,
                    outcome="已完成",
                    closed_on=due + dt.timedelta(days=3) if (code, week) in late else due,
                    created_by=demo.secretary,
                )
            )
        monday += dt.timedelta(days=7)
        week += 1
    save_weekly_tasks(tasks=tasks, actor=demo.secretary)
