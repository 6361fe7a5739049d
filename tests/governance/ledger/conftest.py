"""Fixtures of the six-star work tests: staff bound to the community, star teams, builders."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import StaffProfile
from governance.models import StarMember, WeeklyTask, WorkLog
from governance.services.setup import set_up_community
from tests.factories import WeeklyTaskFactory, WorkLogFactory


def bind(user, community):
    StaffProfile.objects.update_or_create(user=user, defaults={"community": community})
    return user


@pytest.fixture
def stars(community):
    """The community's six stars by code."""
    return {star.code: star for star in community.stars.all()}


@pytest.fixture
def other_community(db):
    return set_up_community(name="星光社区", slug="xingguang")


@pytest.fixture
def sec(secretary, community):
    return secretary


@pytest.fixture
def clerk(staff, community):
    return staff


@pytest.fixture
def member(star_member, community, stars):
    """A group member of the fortress star."""
    StarMember.objects.create(star=stars["fortress"], user=star_member, role="member")
    return star_member


@pytest.fixture
def make_user(community):
    def make(username, role=roles.STAR_MEMBER, star=None):
        user = get_user_model().objects.create_user(
            username=username, password="pw-" + username, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        bind(user, community)
        if star is not None:
            StarMember.objects.create(star=star, user=user)
        return user

    return make


@pytest.fixture
def log(community, sec):
    """log(stars, day, kind="activity", **figures): a ledger entry written directly."""

    def make(star_list, day, kind=WorkLog.Kind.ACTIVITY, author=None, **fields):
        return WorkLogFactory(
            community=community,
            date=day,
            kind=kind,
            title=fields.pop("title", f"{kind} {day}"),
            author=author or sec,
            stars=star_list,
            **fields,
        )

    return make


@pytest.fixture
def task(community, sec):
    """task(star, due, status="open", closed_on=None): a weekly task written directly."""

    def make(star, due, status=WeeklyTask.Status.OPEN, closed_on=None, **fields):
        if status != WeeklyTask.Status.OPEN and status != WeeklyTask.Status.IN_PROGRESS:
            closed_on = closed_on or due
        return WeeklyTaskFactory(
            community=community,
            star=star,
            title=fields.pop("title", f"task {due}"),
            owner=fields.pop("owner", sec),
            due_date=due,
            status=status,
            closed_on=closed_on,
            created_by=sec,
            **fields,
        )

    return make
