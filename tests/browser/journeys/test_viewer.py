"""师市观察员 (division viewer): reads everything shared with the division, changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from governance.models import MonthlyScore, Project
from governance.services import scoring
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAY = dt.date(2024, 5, 1)
# A button that would change something (not the language switch, elder mode or logging out).
CHANGING_BUTTONS = (
    "form[method=post]:not([action*='/i18n/']):not([action*='logout'])"
    ":not([action*='/elder-mode/']) [type=submit]"
)


def _a_locked_month(office):
    for score in scoring.compute_month(community=office.community, month=MAY):
        scoring.review_score(
            score=score,
            actor=office.secretary,
            review=Decimal(85),
            satisfaction=Decimal(90),
            comment="按期完成",
        )
    scoring.lock_month(community=office.community, month=MAY, actor=office.secretary)


def test_the_viewer_reads_everything_allowed_and_can_change_nothing(office, journey):
    _a_locked_month(office)
    project = ProjectFactory(community=office.community, name="康乐小区改造")
    walk = journey(office.viewer, next_url="/dashboard/%3Fmonth%3D2024-05")
    page = walk.page
    assert page.locator(".star-row").count() == 6
    assert page.locator(".month-state").get_attribute("data-state") == "locked"
    # No step of the secretary's is offered.
    assert page.locator("#lock-month").count() == 0
    assert page.locator(CHANGING_BUTTONS).count() == 0
    walk.goto("/dashboard/quarters/2024/2/")
    assert page.locator(CHANGING_BUTTONS).count() == 0
    walk.goto("/dashboard/annual/2024/")

    # Every list the admin index offers opens, and none offers to add or save.
    walk.goto("/admin/")
    lists = {
        link.get_attribute("href")
        for link in page.locator("#content-main a").all()
        if (link.get_attribute("href") or "").startswith("/admin/")
    }
    assert lists, "the viewer's admin index lists nothing"
    for href in sorted(lists):
        walk.goto(href)
        assert page.locator(".object-tools a.addlink").count() == 0, href
        assert page.locator("select[name=action]").count() == 0, href
    walk.goto(f"/admin/governance/project/{project.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0

    # Forcing a change is refused and changes nothing.
    with walk.refused():
        response = walk.page.goto("/admin/governance/project/add/")
        assert response.status == 403
        status = page.evaluate(
            """async () => {
                const token = document.cookie.match(/csrftoken=([^;]+)/);
                const body = new URLSearchParams({csrfmiddlewaretoken: token ? token[1] : '',
                                                  reason: '强行重开'});
                const answer = await fetch('/dashboard/2024-05/reopen/', {method: 'POST', body});
                return answer.status;
            }"""
        )
        assert status == 403
    assert set(MonthlyScore.objects.filter(month=MAY).values_list("state", flat=True)) == {"locked"}
    assert Project.objects.count() == 1
    walk.finish()
