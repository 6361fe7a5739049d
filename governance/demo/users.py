"""The demo logins: staff accounts with their role, community, grid and star."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import StaffProfile
from community.models import Community, Grid, GridMember
from governance.models import StarMember


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    printed: bool = True


def ensure_users(community: Community, users: list[dict]) -> list[DemoLogin]:
    User = get_user_model()
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s["username"] for s in users])
    }
    hashes: dict[str, str] = {}
    groups = {g.name: g for g in Group.objects.filter(name__in={s["role"] for s in users})}
    grids = {g.code: g for g in Grid.objects.filter(community=community)}
    stars = {s.code: s for s in community.stars.all()}
    logins = []
    for spec in users:
        user = existing.get(spec["username"])
        if user is None:
            if spec["password"] not in hashes:  # hash once: PBKDF2 is slow on purpose
                hashes[spec["password"]] = make_password(spec["password"])
            user = User.objects.create(
                username=spec["username"],
                first_name=spec.get("first_name", ""),
                is_staff=True,
                password=hashes[spec["password"]],
            )
        elif spec.get("print") and not (
            user.is_active and user.is_staff and user.check_password(spec["password"])
        ):
            # The printed demo logins must always work.
            user.set_password(spec["password"])
            user.is_staff = user.is_active = True
            user.save(update_fields=["password", "is_staff", "is_active"])
        user.groups.add(groups[spec["role"]])
        profile, _ = StaffProfile.objects.get_or_create(
            user=user, defaults={"community": None if spec.get("viewer") else community}
        )
        if spec.get("viewer"):
            profile.viewable_communities.add(community)
        if spec.get("grid") and spec["grid"] in grids:
            GridMember.objects.get_or_create(grid=grids[spec["grid"]], user=user)
        if spec.get("star") and spec["star"] in stars:
            StarMember.objects.get_or_create(
                star=stars[spec["star"]],
                user=user,
                defaults={"role": spec.get("star_role", "member"), "since": dt.date(2024, 1, 1)},
            )
        logins.append(
            DemoLogin(
                username=user.username,
                password=spec["password"],
                role=spec["role"],
                printed=bool(spec.get("print", False)),
            )
        )
    return logins
