import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from governance.models import BudgetLine, Contract, Milestone, Payment, Project
from governance.queries import projects as project_queries
from governance.services import projects as project_services

from .builders import TODAY, jpeg, make_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _line(project, title, amount):
    return BudgetLine.objects.create(project=project, title=title, amount=Decimal(amount))


def _contract(line, amount, *payments):
    contract = Contract.objects.create(
        project=line.project,
        budget_line=line,
        contractor="新星建设",
        title=line.title,
        amount=Decimal(amount),
        signed_on=dt.date(2022, 5, 1),
    )
    for paid in payments:
        Payment.objects.create(contract=contract, amount=Decimal(paid), paid_on=TODAY)
    return contract


def test_spent_against_budget_per_line_without_join_fan_out(community):
    project = Project.objects.create(community=community, name="康乐小区改造", budget="8800000")
    water = _line(project, "给排水", "1500000.00")
    gas = _line(project, "燃气入户", "1200000.00")
    lights = _line(project, "道路亮化", "300000.00")
    # Two contracts with several payments each: a naive join would double-count.
    _contract(water, "800000.00", "300000.00", "200000.10")
    _contract(water, "600000.00", "600000.00")
    _contract(gas, "1300000.00", "1250000.55")
    rows = {
        line.title: (line.contracted, line.spent, line.variance)
        for line in project_queries.budget_lines_with_spending(project)
    }
    assert rows == {
        "给排水": (Decimal("1400000.00"), Decimal("1100000.10"), Decimal("399999.90")),
        "燃气入户": (Decimal("1300000.00"), Decimal("1250000.55"), Decimal("-50000.55")),
        "道路亮化": (Decimal("0.00"), Decimal("0.00"), Decimal("300000.00")),
    }
    assert all(isinstance(value, Decimal) for row in rows.values() for value in row)
    del lights


def test_project_figures_add_up_in_sql(community):
    project = Project.objects.create(community=community, name="康乐小区改造", budget="8800000")
    water = _line(project, "给排水", "5000000.00")
    _contract(water, "5000000.00", "4000000.00", "1000000.00")
    gas = _line(project, "燃气入户", "3800000.00")
    _contract(gas, "4000000.00", "3900000.00")
    Milestone.objects.create(project=project, title="a", progress=100, done_on=TODAY)
    Milestone.objects.create(project=project, title="b", progress=50)
    figures = project_queries.project_figures(project)
    assert figures.budget == Decimal("8800000.00")
    assert figures.budgeted == Decimal("8800000.00")
    assert figures.contracted == Decimal("9000000.00")
    assert figures.spent == Decimal("8900000.00")
    assert figures.variance == Decimal("-100000.00")
    assert figures.overspent and figures.spent_percent == 101
    assert (figures.progress, figures.milestones, figures.milestones_done) == (75, 2, 1)


def test_project_figures_of_an_empty_project_are_zero(community):
    project = Project.objects.create(community=community, name="新项目", budget="100")
    figures = project_queries.project_figures(project)
    assert (figures.spent, figures.contracted, figures.progress) == (Decimal("0.00"), 0, 0)
    assert figures.variance == Decimal("100.00") and not figures.overspent


def test_payment_cannot_exceed_its_contract(community):
    project = Project.objects.create(community=community, name="p", budget="1000")
    contract = _contract(_line(project, "l", "1000"), "500.00", "300.00")
    project_services.record_payment(contract=contract, amount=Decimal("200.00"), paid_on=TODAY)
    with pytest.raises(ValidationError, match="more than the contract amount"):
        project_services.record_payment(contract=contract, amount=Decimal("0.01"), paid_on=TODAY)
    with pytest.raises(ValidationError, match="more than zero"):
        project_services.record_payment(contract=contract, amount=Decimal("0"), paid_on=TODAY)


def test_milestone_photo_is_cleaned_with_a_thumbnail(community):
    project = make_project(community, milestones=1)
    milestone = project.milestones.get()
    upload = jpeg()
    upload.size = len(upload.read())
    upload.seek(0)
    photo = project_services.add_milestone_photo(
        milestone=milestone, upload=upload, stage="after", alt_text="改造后的道路"
    )
    assert photo.image.name.endswith(".jpg") and not photo.image.name.endswith("/photo.jpg")
    assert photo.thumbnail.name.endswith("_thumb.jpg")
    with pytest.raises(ValidationError, match="screen readers"):
        project_services.add_milestone_photo(
            milestone=milestone, upload=upload, stage="after", alt_text=" "
        )


def test_milestone_done_only_at_full_progress(community):
    milestone = make_project(community, milestones=1).milestones.get()
    with pytest.raises(ValidationError, match="100%"):
        project_services.set_milestone_progress(milestone=milestone, progress=90, done_on=TODAY)
    project_services.set_milestone_progress(milestone=milestone, progress=100, done_on=TODAY)
    assert milestone.done_on == TODAY


def test_inspection_supervisor_lives_in_the_community(community):
    from governance.services.setup import set_up_community
    from tests.factories import ResidentFactory

    project = make_project(community)
    other = set_up_community(name="其他", slug="other")
    outsider = ResidentFactory(community=other)
    with pytest.raises(ValidationError, match="resident of this community"):
        project_services.record_inspection(
            project=project, supervisor=outsider, inspected_on=TODAY, findings="x", outcome="ok"
        )
    insider = ResidentFactory(community=community)
    inspection = project_services.record_inspection(
        project=project, supervisor=insider, inspected_on=TODAY, findings="好", outcome="ok"
    )
    assert inspection.project == project
