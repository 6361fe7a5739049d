"""docs/roles.md is the definition of what each role may do: its tables list every task of a
role's week with the permissions it takes. After migrating, each role group holds exactly the
union of its tasks' permissions: nothing missing (a task would meet a 403), nothing more (a
role could do what no task of theirs asks)."""

import re
from collections import defaultdict

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db

PAGE = settings.BASE_DIR / "docs" / "roles.md"
HEADING = re.compile(r"^## (\S+) · ")
PERMISSION = re.compile(r"`(\w+)\.(?:\{([\w,]+)\}_)?(\w+)`")


def expand(cell: str) -> set[str]:
    """`app.view_model` and `app.{view,add}_model` as app.codename."""
    found = set()
    for app_label, actions, rest in PERMISSION.findall(cell):
        if actions:
            found |= {f"{app_label}.{action}_{rest}" for action in actions.split(",")}
        else:
            found.add(f"{app_label}.{rest}")
    return found


def read_matrix(text: str) -> dict[str, list[tuple[str, str, set[str]]]]:
    """{role group: [(task, where, permissions), ...]} from the page's sections and tables."""
    matrix: dict[str, list] = defaultdict(list)
    role = None
    for line in text.splitlines():
        if line.startswith("## "):
            match = HEADING.match(line)
            role = match.group(1) if match else None
            continue
        if role is None or not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "task" or set(cells[0]) <= {"-"}:
            continue
        task, where, permissions = cells
        matrix[role].append((task, where, expand(permissions)))
    return dict(matrix)


def group_permissions(role: str) -> set[str]:
    rows = Group.objects.get(name=role).permissions.values_list(
        "content_type__app_label", "codename"
    )
    return {f"{app_label}.{codename}" for app_label, codename in rows}


MATRIX = read_matrix(PAGE.read_text(encoding="utf-8"))


def test_the_page_has_a_section_for_each_role_group_and_no_other():
    assert set(MATRIX) == set(roles.ROLE_LABELS)


@pytest.mark.parametrize("role", sorted(roles.ROLE_LABELS))
def test_each_task_says_where_it_is_done_and_what_it_takes(role):
    for task, where, permissions in MATRIX[role]:
        assert task and "`/" in where, task
        assert permissions, task


def test_the_shorthand_expands_to_each_codename():
    assert expand("`community.{view,add}_unit` `privacy.view_auditevent`") == {
        "community.view_unit",
        "community.add_unit",
        "privacy.view_auditevent",
    }


@pytest.mark.parametrize("role", sorted(roles.ROLE_LABELS))
def test_the_group_holds_exactly_the_permissions_of_its_tasks(role):
    needed = set().union(*(permissions for _task, _where, permissions in MATRIX[role]))
    held = group_permissions(role)
    missing, extra = sorted(needed - held), sorted(held - needed)
    assert not missing, f"{role}: tasks need permissions the group lacks: {missing}"
    assert not extra, f"{role}: the group holds permissions no task needs: {extra}"


def test_the_division_viewer_only_reads():
    needed = set().union(*(p for _t, _w, p in MATRIX[roles.DIVISION_VIEWER]))
    assert all(name.split(".")[1].startswith("view_") for name in needed)
