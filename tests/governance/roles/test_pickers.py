"""The pickers of each role's forms (the admin's autocompletes), as the demo logins use them:
each answers 200 for the role whose task needs it, offers what the role may see and nothing
more, and answers 403 to a role with no task behind it."""

import json

import pytest

from community.models import Household, Resident

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"
LEADS = ["lead_fortress", "lead_safety", "lead_jobs", "lead_harmony", "lead_cobuild", "lead_unity"]

# (login, the form's model, its people field): the pickers of each role's tasks (docs/roles.md).
TASK_PICKERS = [
    ("lead_jobs", "enrollment", "resident"),
    ("lead_jobs", "jobplacement", "resident"),
    ("lead_cobuild", "inspection", "supervisor"),
    *[(lead, "nomination", field) for lead in LEADS for field in ("household", "resident")],
    ("member_safety", "nomination", "resident"),
    ("grid1", "disputeparty", "resident"),
    ("grid1", "legalconsultation", "resident"),
    ("grid1", "enrollment", "resident"),
    ("grid1", "jobplacement", "resident"),
    ("grid1", "relief", "household"),
    ("grid2", "disputeparty", "resident"),
    ("staff", "inspection", "supervisor"),
    ("secretary", "nomination", "household"),
]


def pick(client, model, field, term=""):
    return client.get(
        AUTOCOMPLETE,
        {"app_label": "governance", "model_name": model, "field_name": field, "term": term},
    )


def picked_ids(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {int(row["id"]) for row in json.loads(response.content)["results"]}


@pytest.mark.parametrize(("username", "model", "field"), TASK_PICKERS)
def test_each_task_picker_answers_its_role(login, username, model, field):
    assert picked_ids(pick(login(username), model, field))


def _resident_of(grid_code) -> Resident:
    return (
        Resident.objects.filter(household__building__grid__code=grid_code, moved_out__isnull=True)
        .order_by("pk")
        .first()
    )


def test_a_star_lead_picks_residents_of_every_grid_of_the_community(login):
    client = login("lead_jobs")
    for grid_code in ("G1", "G2", "G3", "G4"):
        resident = _resident_of(grid_code)
        assert resident.pk in picked_ids(pick(client, "enrollment", "resident", resident.name))


def test_a_grid_worker_picks_only_residents_of_their_grids(login):
    client = login("grid1")
    own, other = _resident_of("G1"), _resident_of("G2")
    assert own.pk in picked_ids(pick(client, "disputeparty", "resident", own.name))
    assert other.pk not in picked_ids(pick(client, "disputeparty", "resident", other.name))
    # The whole list (no term) holds no resident of another grid either.
    offered = picked_ids(pick(client, "jobplacement", "resident"))
    grids = set(
        Resident.objects.filter(pk__in=offered).values_list(
            "household__building__grid__code", flat=True
        )
    )
    assert grids == {"G1"}


def test_a_grid_worker_picks_only_households_of_their_grids(login):
    offered = picked_ids(pick(login("grid2"), "relief", "household"))
    grids = set(
        Household.objects.filter(pk__in=offered).values_list("building__grid__code", flat=True)
    )
    assert grids == {"G2"}


@pytest.mark.parametrize(
    ("model", "field"),
    [("enrollment", "resident"), ("nomination", "household"), ("disputeparty", "resident")],
)
def test_the_division_viewer_picks_nobody(login, model, field):
    assert pick(login("viewer"), model, field).status_code == 403


def test_a_star_lead_reads_residents_masked_and_changes_none(login):
    client = login("lead_cobuild")
    resident = _resident_of("G3")
    url = f"/admin/community/resident/{resident.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    numbers = [number for number in (resident.id_number, resident.phone) if number]
    assert numbers and not [number for number in numbers if number in html]
    assert "ethnicity" not in page.context["adminform"].form.fields
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get("/admin/community/resident/add/").status_code == 403
    assert client.get(f"/admin/community/resident/{resident.pk}/reveal/").status_code == 403
