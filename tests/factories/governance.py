"""factory_boy factories of the governance records tests build most often.

A community of the six-star work comes with its six stars (set_up_community makes them), so
a record that names a star takes one of its community's stars: pass star=community.stars...
or stars=[...] for the work ledger. Every default is the model's own default or the least
a valid row needs; a test that cares about a value passes it.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from governance.models import (
    Dispute,
    Notice,
    Project,
    RequestCategory,
    ServiceRequest,
    WeeklyTask,
    WorkLog,
)
from governance.services.requests import phone_index, submit_request
from governance.services.setup import set_up_community

from .registry import UserFactory


class SixStarCommunityFactory(factory.django.DjangoModelFactory):
    """A community set up the way the portal does it: care groups and its six stars."""

    class Meta:
        model = "community.Community"

    name = factory.Sequence(lambda n: f"六星社区{n}")
    slug = factory.Sequence(lambda n: f"six-star-{n}")
    regiment = ""
    division = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return set_up_community(**kwargs)


class WorkLogFactory(factory.django.DjangoModelFactory):
    """An entry of the work ledger; pass stars=[star, ...] to file it under those stars."""

    class Meta:
        model = WorkLog
        skip_postgeneration_save = True

    community = factory.SubFactory(SixStarCommunityFactory)
    date = dt.date(2024, 6, 10)
    kind = WorkLog.Kind.ACTIVITY
    title = factory.Sequence(lambda n: f"工作记录{n}")
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def stars(self, create, extracted, **kwargs):
        if create and extracted is not None:
            self.stars.set(extracted)


class WeeklyTaskFactory(factory.django.DjangoModelFactory):
    """A weekly task of one star, in the week of its due date, created by its owner unless
    created_by is given."""

    class Meta:
        model = WeeklyTask

    community = factory.SubFactory(SixStarCommunityFactory)
    star = factory.LazyAttribute(lambda task: task.community.stars.order_by("order").first())
    due_date = dt.date(2024, 6, 14)
    week_start = factory.LazyAttribute(
        lambda task: task.due_date - dt.timedelta(days=task.due_date.weekday())
    )
    title = factory.Sequence(lambda n: f"任务{n}")
    owner = factory.SubFactory(UserFactory)
    status = WeeklyTask.Status.OPEN
    closed_on = None
    created_by = factory.SelfAttribute("owner")


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request written directly, with the reference and dates a test chooses (the way the
    metrics and list tests lay out a known data set); the phone's last four digits and blind
    index follow the phone unless given."""

    class Meta:
        model = ServiceRequest

    community = factory.SubFactory(SixStarCommunityFactory)
    reference = factory.Sequence(lambda n: f"HX-T-{n:05d}")
    category = factory.LazyFunction(lambda: RequestCategory.objects.get(name="道路照明"))
    description = "路灯不亮"
    phone = "13800000000"
    phone_last4 = factory.LazyAttribute(lambda request: request.phone[-4:])
    phone_index = factory.LazyAttribute(lambda request: phone_index(request.phone))
    submitted_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(lambda request: request.submitted_at + dt.timedelta(days=7))
    original_due_at = factory.SelfAttribute("due_at")


class SubmittedRequestFactory(factory.Factory):
    """A request submitted through the service, the way the public form files it (reference,
    deadline, routing and first event all by the service's rules)."""

    class Meta:
        model = ServiceRequest

    community = factory.SubFactory(SixStarCommunityFactory)
    category = factory.LazyFunction(lambda: RequestCategory.objects.get(name="道路照明"))
    description = "路灯不亮"
    phone = "13812345678"
    consent = True
    place_text = "社区广场"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return submit_request(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("a submitted request exists only once the service saved it")


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    community = factory.SubFactory(SixStarCommunityFactory)
    title = factory.Sequence(lambda n: f"纠纷{n}")
    description = "x"
    kind = Dispute.Kind.OTHER


class NoticeFactory(factory.django.DjangoModelFactory):
    """A notice published since yesterday."""

    class Meta:
        model = Notice

    community = factory.SubFactory(SixStarCommunityFactory)
    title = factory.Sequence(lambda n: f"公告{n}")
    body = "**正文** 内容"
    status = Notice.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class ProjectFactory(factory.django.DjangoModelFactory):
    """A renovation project under way (no budget lines, contracts or milestones)."""

    class Meta:
        model = Project

    community = factory.SubFactory(SixStarCommunityFactory)
    name = "康乐小区改造"
    budget = Decimal("8800000.00")
    status = Project.Status.IN_PROGRESS
    started_on = dt.date(2022, 4, 1)
