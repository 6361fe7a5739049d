"""The demo community, built from the readable spec in fixtures/demo.toml (idempotent)."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from community.models import Community
from community.services import create_community, ensure_care_tags, ensure_stars

DEMO_SPEC = Path(settings.BASE_DIR) / "fixtures" / "demo.toml"


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoResult:
    community: Community
    created: bool
    logins: list[DemoLogin] = field(default_factory=list)


@transaction.atomic
def load_demo(*, spec_path: Path = DEMO_SPEC) -> DemoResult:
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    info = spec["community"]
    community = Community.objects.filter(slug=info["slug"]).first()
    created = community is None
    if created:
        community = create_community(
            name=info["name"],
            slug=info["slug"],
            regiment=info.get("regiment", ""),
            division=info.get("division", ""),
        )
    else:
        ensure_stars(community=community)
        ensure_care_tags(community=community)
    logins = [_ensure_user(user) for user in spec.get("users", [])]
    return DemoResult(community=community, created=created, logins=logins)


def _ensure_user(spec: dict) -> DemoLogin:
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=spec["username"],
        defaults={"first_name": spec.get("first_name", ""), "is_staff": True},
    )
    # The demo password is reset on every load so the printed login always works.
    user.set_password(spec["password"])
    user.is_staff = True
    user.is_active = True
    user.save(update_fields=["password", "is_staff", "is_active"])
    user.groups.add(Group.objects.get(name=spec["role"]))
    return DemoLogin(username=user.username, password=spec["password"], role=spec["role"])
