"""The dispute service holds the lifecycle rules; the back-office form shows them per field."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import Dispute
from governance.services.disputes import lifecycle_errors, save_dispute

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 10)


def test_a_closed_dispute_needs_outcome_and_date():
    errors = lifecycle_errors(status=Dispute.Status.CLOSED, found_on=DAY)
    assert sorted(errors) == ["closed_on", "outcome"]


def test_dates_must_follow_the_finding():
    errors = lifecycle_errors(
        status=Dispute.Status.MEDIATING,
        found_on=DAY,
        mediation_accepted_on=DAY - datetime.timedelta(days=1),
    )
    assert list(errors) == ["mediation_accepted_on"]


def test_only_a_signed_agreement_is_fulfilled():
    errors = lifecycle_errors(status=Dispute.Status.FOUND, agreement_fulfilled=True)
    assert list(errors) == ["agreement_fulfilled"]


def test_a_valid_open_dispute_breaks_no_rule():
    assert lifecycle_errors(status=Dispute.Status.FOUND, found_on=DAY) == {}


def test_save_dispute_refuses_a_broken_record_and_writes_nothing(community, staff):
    dispute = Dispute(
        community=community,
        title="楼上漏水",
        found_on=DAY,
        status=Dispute.Status.CLOSED,
    )
    with pytest.raises(ValidationError) as refused:
        save_dispute(dispute=dispute, actor=staff)
    assert set(refused.value.message_dict) == {"outcome", "closed_on"}
    assert not Dispute.objects.exists()
