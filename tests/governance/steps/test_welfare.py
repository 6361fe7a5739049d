"""Relief from approval to payout, and course registrations closed with the course."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import Enrollment, Relief, TrainingCourse
from governance.services import welfare as welfare_services
from tests.factories import GridMemberFactory, HouseholdFactory, ResidentFactory

from .admin_forms import add_inline_rows, change_form_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def _today(time_machine):
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2024, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


def relief(community, secretary=None, *, approve=True, household=None):
    application = Relief.objects.create(
        community=community,
        household=household or HouseholdFactory(community=community),
        kind=Relief.Kind.LIVING,
        amount=Decimal("1500.00"),
        reason="临时困难",
        applied_on=dt.date(2024, 6, 1),
    )
    if secretary is not None:
        note = "" if approve else "不符合条件"
        welfare_services.decide_relief(
            relief=application, approve=approve, note=note, user=secretary
        )
    return application


def pay_url(application):
    return reverse("admin:governance_relief_step", args=[application.pk, "pay"])


def change_url(application):
    return reverse("admin:governance_relief_change", args=[application.pk])


def test_staff_mark_approved_relief_paid_with_the_day(office, community, secretary):
    approved = relief(community, secretary)
    page = office.get(change_url(approved)).content.decode()
    assert pay_url(approved) in page and "登记发放" in page
    response = office.post(pay_url(approved), {"paid_on": "2024-06-10"})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.paid_on) == (Relief.Status.PAID, TODAY)
    assert pay_url(approved) not in office.get(change_url(approved)).content.decode()


@pytest.mark.parametrize("state", ["applied", "rejected", "paid"])
def test_relief_not_approved_is_refused_clearly(office, community, secretary, state):
    application = relief(community, None if state == "applied" else secretary)
    if state == "rejected":
        application = relief(community, secretary, approve=False)
    if state == "paid":
        welfare_services.mark_relief_paid(relief=application, paid_on=TODAY)
    application.refresh_from_db()
    assert pay_url(application) not in office.get(change_url(application)).content.decode()
    response = office.post(pay_url(application), {"paid_on": "2024-06-10"})
    assert response.status_code == 200
    assert "只有已批准的救助才能发放" in response.content.decode()
    before = application.status
    application.refresh_from_db()
    assert application.status == before


@pytest.mark.parametrize(
    ("day", "message"),
    [("2024-06-11", "发放日期不能晚于今天。"), ("2024-06-01", "发放日期不能早于批准日期")],
)
def test_the_payout_day_is_checked(office, community, secretary, day, message):
    approved = relief(community, secretary)
    response = office.post(pay_url(approved), {"paid_on": day})
    assert response.status_code == 200 and message in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == Relief.Status.APPROVED and approved.paid_on is None


def test_the_list_action_pays_the_approved_and_refuses_the_others(office, community, secretary):
    approved, applied = relief(community, secretary), relief(community)
    response = office.post(
        reverse("admin:governance_relief_changelist"),
        {"action": "mark_paid", "_selected_action": [approved.pk, applied.pk]},
        follow=True,
    )
    text = [str(m) for m in response.context["messages"]]
    assert any("只有已批准的救助才能发放;该申请当前为“已申请”" in m for m in text), text
    approved.refresh_from_db(), applied.refresh_from_db()
    assert (approved.status, approved.paid_on) == (Relief.Status.PAID, TODAY)
    assert applied.status == Relief.Status.APPLIED


def test_a_grid_worker_cannot_pay_out(client, community, grid_worker, secretary):
    household = HouseholdFactory(community=community)
    GridMemberFactory(grid=household.building.grid, user=grid_worker)
    approved = relief(community, secretary, household=household)
    client.force_login(grid_worker)
    assert client.post(pay_url(approved), {"paid_on": "2024-06-10"}).status_code == 403
    approved.refresh_from_db()
    assert approved.status == Relief.Status.APPROVED


# --- course registrations ------------------------------------------------------------------


def course_url(course):
    return reverse("admin:governance_trainingcourse_change", args=[course.pk])


def register(office, course, residents, day="2024-06-10"):
    data = change_form_data(office.get(course_url(course)))
    rows = [
        {
            "resident": str(r.pk),
            "registered_on": day,
            "status": "registered",
            "certificate_no": "",
            "course": str(course.pk),
        }
        for r in residents
    ]
    return office.post(course_url(course), add_inline_rows(data, "enrollments", rows))


def test_staff_register_residents_for_an_open_course(office, community):
    course = TrainingCourse.objects.create(community=community, title="中式烹调师", capacity=5)
    residents = [ResidentFactory(community=community) for _ in range(2)]
    response = register(office, course, residents)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(Enrollment.objects.values_list("resident", flat=True)) == {r.pk for r in residents}


def test_a_closed_course_takes_no_registration(office, community):
    course = TrainingCourse.objects.create(
        community=community, title="中式烹调师", registration_open=False
    )
    response = register(office, course, [ResidentFactory(community=community)])
    assert response.status_code == 200
    assert "“中式烹调师”已停止报名,不能再为居民报名。" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_closing_the_course_in_the_same_save_takes_no_registration(office, community):
    course = TrainingCourse.objects.create(community=community, title="电工")
    data = change_form_data(office.get(course_url(course)))
    data.pop("registration_open")  # the box unticked
    add_inline_rows(
        data,
        "enrollments",
        [
            {
                "resident": str(ResidentFactory(community=community).pk),
                "registered_on": "2024-06-10",
                "status": "registered",
                "certificate_no": "",
                "course": str(course.pk),
            }
        ],
    )
    response = office.post(course_url(course), data)
    assert "“电工”已停止报名" in response.content.decode()
    assert not Enrollment.objects.exists()
    course.refresh_from_db()
    assert course.registration_open  # nothing of the refused save was kept


def test_an_ended_course_and_a_full_one_take_no_registration(office, community):
    ended = TrainingCourse.objects.create(
        community=community, title="育婴员", ends_on=dt.date(2024, 5, 31)
    )
    response = register(office, ended, [ResidentFactory(community=community)])
    assert "“育婴员”已于2024-05-31结束" in response.content.decode()
    full = TrainingCourse.objects.create(community=community, title="电焊工", capacity=1)
    response = register(office, full, [ResidentFactory(community=community) for _ in range(2)])
    assert response.status_code == 200 and "已满" in response.content.decode()
    assert not Enrollment.objects.exists()
