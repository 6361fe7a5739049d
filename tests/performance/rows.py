"""Rows for any registered model, for the changelist query-count tests.

make_row(model, community) fills every field that needs a value (a foreign key gets a fresh
parent row of its own, in the same community), so a list of 1 row and a list of 3 rows differ
only in their number of rows. BUILDERS holds the models whose rows need more than that.
"""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from community.models import Community

_serial = itertools.count(1)


def _value(field: models.Field, community: Community, depth: int):
    n = next(_serial)
    if field.is_relation:
        target = field.related_model
        if target is Community:
            return community
        if target is get_user_model():
            return get_user_model().objects.create(username=f"u{n}")
        return make_row(target, community, depth=depth + 1)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1.00")
    if isinstance(field, models.IntegerField | models.FloatField):
        return n
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
    if isinstance(field, models.FileField):
        return f"bench/file{n}.png"
    if isinstance(field, models.CharField | models.TextField):
        text = f"13800{n:06d}" if "phone" in field.name else f"{field.name[:6]}{n}"
        return text[: field.max_length] if field.max_length else text
    raise NotImplementedError(f"{field.model.__name__}.{field.name}: {type(field).__name__}")


def _needs_value(field: models.Field) -> bool:
    if field.auto_created or not field.concrete or field.primary_key:
        return False
    if isinstance(field, models.DateTimeField | models.DateField) and (
        field.auto_now or field.auto_now_add
    ):
        return False
    if field.has_default() or field.null:
        return False
    return not (field.blank and isinstance(field, models.CharField | models.TextField))


def make_row(model, community: Community, *, depth: int = 0, **fixed):
    if model in BUILDERS and not fixed:
        return BUILDERS[model](community)
    if depth > 6:
        raise RecursionError(model)
    values = {
        f.name: _value(f, community, depth)
        for f in model._meta.fields
        if _needs_value(f) and f.name not in fixed
    }
    return model.objects.create(**values, **fixed)


def _user(community):
    return get_user_model().objects.create(username=f"user{next(_serial)}")


def _group(community):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=f"group{next(_serial)}")


def _community(community):
    n = next(_serial)
    return Community.objects.create(name=f"社区{n}", slug=f"c{n}")


def _star(community):
    from governance.models import Star

    # A community has one star of each code: the extra rows live in their own communities.
    return Star.objects.create(community=_community(community), code="fortress", name="堡垒星")


def _building(community):
    from community.models import Building, Compound, Grid

    n = next(_serial)
    grid = Grid.objects.create(community=community, code=f"G{n}", name=f"网格{n}")
    compound = Compound.objects.create(community=community, name=f"小区{n}")
    return Building.objects.create(community=community, compound=compound, grid=grid, number=n)


def _household(community):
    """A household in a unit of a building (the address most lists print)."""
    from community.models import Household, Unit

    building = _building(community)
    unit = Unit.objects.create(building=building, number="1")
    return Household.objects.create(
        community=community, building=building, unit=unit, door_number=f"{next(_serial)}"
    )


def _resident(community):
    from community.models import Resident

    resident = Resident(
        community=community, household=_household(community), name="王五", gender="M"
    )
    resident.set_phone(f"138{next(_serial):08d}")
    resident.save()
    return resident


def _party_member(community):
    from community.models import PartyMember

    return make_row(PartyMember, community, resident=_resident(community))


def _volunteer_service(community):
    from community.models import VolunteerService

    return make_row(VolunteerService, community, party_member=_party_member(community))


def _nomination(community):
    from governance.models import Nomination

    return make_row(Nomination, community, kind="family", household=_household(community))


def _pairing(community):
    from governance.models import Pairing

    return make_row(
        Pairing,
        community,
        helper_kind="household",
        helper_household=_household(community),
        helped_household=_household(community),
    )


BUILDERS = {}


def _register():
    from django.contrib.auth.models import Group

    from community.models import Building, Household, PartyMember, Resident, VolunteerService
    from governance.models import Nomination, Pairing, Star

    BUILDERS.update(
        {
            get_user_model(): _user,
            Group: _group,
            Community: _community,
            Star: _star,
            Building: _building,
            Household: _household,
            Resident: _resident,
            PartyMember: _party_member,
            VolunteerService: _volunteer_service,
            Nomination: _nomination,
            Pairing: _pairing,
        }
    )


_register()
