"""Frozen months: every source of a locked month's figures, changed through the back office."""

import datetime

import pytest

from governance.models import LockedChange, MonthlyScore
from tests.governance.ledger.conftest import bind, stars  # noqa: F401
from tests.governance.steps.admin_forms import change_form_data

JANUARY = datetime.date(2024, 1, 1)


@pytest.fixture
def locked_january(community, stars):  # noqa: F811
    """January 2024's six scores, locked."""
    return [
        MonthlyScore.objects.create(community=community, star=star, month=JANUARY, state="locked")
        for star in stars.values()
    ]


@pytest.fixture
def edit(client):
    """edit(user, url, **changes): the change page as the user sees it, posted with changes."""

    def post(user, url, **changes):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200, page.content.decode()[:500]
        data = change_form_data(page)
        data.update({key: str(value) for key, value in changes.items()})
        return client.post(url, data)

    return post


def refused(response) -> str:
    """The page came back (nothing saved) with the locked-month refusal, in Chinese."""
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "2024-01 的得分已锁定,只有党支部书记可以修改" in text, text[:3000]
    return text


def logged(reason: str, user) -> list[LockedChange]:
    changes = list(LockedChange.objects.filter(reason=reason))
    assert changes and all(change.user == user for change in changes)
    return changes


def errors(response) -> str:
    """The form's errors, for an assertion's message."""
    context = response.context
    if context is None or "adminform" not in context:
        return str(response.status_code)
    form = context["adminform"].form
    inlines = [
        f.errors
        for inline in context.get("inline_admin_formsets", [])
        for f in inline.formset.forms
    ]
    return f"{form.errors} {inlines}"
