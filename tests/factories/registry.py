"""factory_boy factories of the registry (community app): places, people, staff accounts.

No surprising side effects: a factory creates the row it names and the parents it needs,
nothing else. Protected fields (ID number, phone) go through the model's setters, so the
encrypted value, the blind index and the masked copy always agree.
"""

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.models import StaffProfile
from community import models
from community.validators import id_number_check_character

_serial = itertools.count(1)


def make_id_number(
    *,
    birth_date: dt.date = dt.date(1980, 1, 1),
    gender: str = "M",
    region: str = "659004",
    sequence: int | None = None,
) -> str:
    """A valid 18-digit ID number (GB 11643) for the given birth date and gender."""
    if sequence is None:
        sequence = next(_serial) % 500
    # The third sequence digit is odd for men and even for women.
    seq = sequence * 2 + (1 if gender == "M" else 0)
    body = f"{region}{birth_date:%Y%m%d}{seq % 1000:03d}"
    return body + id_number_check_character(body)


def make_mobile() -> str:
    return f"139{next(_serial):08d}"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Community
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"社区{n}")
    slug = factory.Sequence(lambda n: f"community-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A back-office account; pass role="网格员" (etc.) and community=... to bind it."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def community(self, create, extracted, **kwargs):
        if create and extracted:
            StaffProfile.objects.create(user=self, community=extracted)


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Grid

    community = factory.SubFactory(CommunityFactory)
    code = factory.Sequence(lambda n: f"G{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}网格")


class GridMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GridMember

    grid = factory.SubFactory(GridFactory)
    user = factory.SubFactory(UserFactory)
    role = models.GridMember.Role.WORKER


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Compound

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"康乐小区{n}期")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Building

    community = factory.SubFactory(CommunityFactory)
    compound = factory.SubFactory(CompoundFactory, community=factory.SelfAttribute("..community"))
    grid = factory.SubFactory(GridFactory, community=factory.SelfAttribute("..community"))
    number = factory.Sequence(lambda n: f"{n}号楼")
    kind = models.Building.Kind.FLATS


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Unit

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: f"{n}单元")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Household

    community = factory.SubFactory(CommunityFactory)
    building = factory.SubFactory(BuildingFactory, community=factory.SelfAttribute("..community"))
    unit = None
    door_number = factory.Sequence(lambda n: f"{100 + n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident; pass id_number="..." / phone="..." to set protected values."""

    class Meta:
        model = models.Resident

    community = factory.SubFactory(CommunityFactory)
    household = factory.SubFactory(HouseholdFactory, community=factory.SelfAttribute("..community"))
    name = factory.Iterator(["张学福", "李秀英", "王建国", "阿依古丽", "马文军", "赵丽"])
    gender = models.Resident.Gender.MALE
    birth_date = dt.date(1980, 1, 1)
    relation_to_head = "户主"
    residency_type = models.Resident.ResidencyType.REGISTERED
    id_number = None
    phone = None

    @classmethod
    def _create(cls, model_class, *args, id_number=None, phone=None, **kwargs):
        resident = model_class(*args, **kwargs)
        resident.set_id_number(id_number or "")
        resident.set_phone(phone or "")
        resident.save()
        return resident


class CareTagFactory(factory.django.DjangoModelFactory):
    """A care tag; set_up_community() already gives each community the default ones, so
    prefer models.CareTag.objects.get(community=..., name="独居老人") for those."""

    class Meta:
        model = models.CareTag
        django_get_or_create = ["community", "name"]

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"关爱类别{n}")
    visit_every_days = 30


class ResidentTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ResidentTag

    resident = factory.SubFactory(ResidentFactory)
    tag = factory.SubFactory(
        CareTagFactory, community=factory.SelfAttribute("..resident.community")
    )
    since = dt.date(2024, 1, 1)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Visit

    household = factory.SubFactory(HouseholdFactory)
    community = factory.SelfAttribute("household.community")
    visitor = factory.SubFactory(UserFactory)
    visited_on = dt.date(2024, 5, 1)
    purpose = models.Visit.Purpose.CARE
    findings = "情况良好"


class PartyMemberFactory(factory.django.DjangoModelFactory):
    """A resident member by default; pass resident=None, kind=IN_SERVICE, name=... for an
    in-service member registering with the community (双报到)."""

    class Meta:
        model = models.PartyMember

    resident = factory.SubFactory(ResidentFactory)
    community = factory.SelfAttribute("resident.community")
    kind = models.PartyMember.Kind.RESIDENT
    status = models.PartyMember.Status.FULL
    joined_on = dt.date(2000, 7, 1)


class VolunteerServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.VolunteerService

    resident = factory.SubFactory(ResidentFactory)
    community = factory.SelfAttribute("resident.community")
    activity = "楼道清扫"
    served_on = dt.date(2024, 5, 1)
    hours = 2
