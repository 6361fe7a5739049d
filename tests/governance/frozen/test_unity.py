"""Pairings and their contacts counted in a locked month: staff are refused, the secretary
changes them with a reason given on the pairing's form (logged); a contact in an open month
is recorded as before."""

import datetime as dt

import pytest

from governance.models import Pairing, PairingContact
from tests.factories import HouseholdFactory
from tests.governance.frozen.conftest import errors, logged, refused
from tests.governance.steps.admin_forms import add_inline_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(community):
    pairing = Pairing.objects.create(
        community=community,
        helper_kind="household",
        helper_household=HouseholdFactory(community=community),
        helped_household=HouseholdFactory(community=community),
        started_on=dt.date(2023, 9, 1),
    )
    PairingContact.objects.create(
        pairing=pairing, contacted_on=dt.date(2024, 1, 8), kind="visit", help_given="走访"
    )
    return pairing


def url(pairing):
    return f"/admin/governance/pairing/{pairing.pk}/change/"


def test_staff_cannot_move_a_locked_months_contact(edit, staff, pairing, locked_january):
    refused(edit(staff, url(pairing), **{"contacts-0-contacted_on": "2024-02-08"}))
    assert PairingContact.objects.get().contacted_on == dt.date(2024, 1, 8)


def test_staff_cannot_add_a_contact_to_a_locked_month(edit, staff, pairing, locked_january):
    response = edit(
        staff,
        url(pairing),
        **add_inline_rows(
            {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1"},
            "contacts",
            [{"contacted_on": "2024-01-20", "kind": "visit", "help_given": "补录"}],
        ),
    )
    refused(response)
    assert PairingContact.objects.count() == 1


def test_the_secretary_moves_it_with_a_reason(edit, secretary, pairing, locked_january):
    response = edit(
        secretary,
        url(pairing),
        **{"contacts-0-contacted_on": "2024-02-08", "change_reason": "日期录错"},
    )
    assert response.status_code == 302, errors(response)
    assert PairingContact.objects.get().contacted_on == dt.date(2024, 2, 8)
    (change,) = logged("日期录错", secretary)
    assert change.score.star.code == "unity"


def test_ending_the_pairing_in_a_locked_month_is_refused(edit, staff, pairing, locked_january):
    refused(edit(staff, url(pairing), ended_on="2024-01-31"))
    assert Pairing.objects.get().ended_on is None


def test_a_contact_in_an_open_month_is_recorded(edit, staff, pairing, locked_january):
    response = edit(
        staff,
        url(pairing),
        **add_inline_rows(
            {"contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1"},
            "contacts",
            [{"contacted_on": "2024-02-20", "kind": "visit", "help_given": "送温暖"}],
        ),
    )
    assert response.status_code == 302, errors(response)
    assert PairingContact.objects.count() == 2
    assert PairingContact.objects.get(contacted_on=dt.date(2024, 2, 20)).recorded_by == staff
