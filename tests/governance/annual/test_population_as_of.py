"""The annual summary's population is as of the year's end (move-in and move-out dates): later
imports and moves never change a past year, and each figure's link lists exactly its rows."""

import datetime as dt

import pytest

from community.models import Resident
from governance.queries.annual import annual_summary
from tests.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def population(community, year):
    figures = annual_summary(community=community, year=year)
    return {key: figures.figure(key) for key in ("households", "residents", "minority_residents")}


def test_later_imports_and_moves_do_not_change_a_past_year(client, community, secretary):
    home = HouseholdFactory(community=community)
    ResidentFactory(community=community, household=home, moved_in=dt.date(2020, 3, 1))
    leaver = ResidentFactory(
        community=community, household=home, ethnicity="03", moved_in=dt.date(2021, 5, 1)
    )
    before = {key: f.value for key, f in population(community, 2024).items()}
    assert before == {"households": 1, "residents": 2, "minority_residents": 1}

    # 2025: a household imported (moved in 2025), one resident moves out.
    later = HouseholdFactory(community=community)
    ResidentFactory(
        community=community, household=later, ethnicity="03", moved_in=dt.date(2025, 2, 1)
    )
    Resident.objects.filter(pk=leaver.pk).update(moved_out=dt.date(2025, 3, 1))

    assert {key: f.value for key, f in population(community, 2024).items()} == before
    now = {key: f.value for key, f in population(community, 2025).items()}
    assert now == {"households": 2, "residents": 2, "minority_residents": 1}

    client.force_login(secretary)
    for key, figure in population(community, 2024).items():
        if key == "minority_residents":
            continue  # the ethnicity filter is for those who see sensitive data
        page = client.get(figure.url)
        assert page.status_code == 200, figure.url
        assert page.context["cl"].result_count == before[key], (key, figure.url)


def test_a_resident_who_moved_out_on_new_years_day_counts_in_the_old_year(community):
    home = HouseholdFactory(community=community)
    ResidentFactory(community=community, household=home, moved_out=dt.date(2025, 1, 1))
    assert population(community, 2024)["residents"].value == 1
    assert population(community, 2025)["residents"].value == 0
