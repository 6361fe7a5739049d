"""Labels in the Chinese back office: ethnic groups by their Chinese names, and the labels one
English word used to give to two different things."""

import pytest
from django.utils import translation

from community import ethnicity
from community.models import Building, Resident, Visit, VolunteerService
from governance.models import (
    CouncilMeeting,
    Dispute,
    MediationSession,
    Motion,
    MotionOption,
    Pairing,
    Project,
    TrainingCourse,
)

pytestmark = pytest.mark.django_db


def label(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def test_the_56_ethnic_groups_have_their_chinese_names_in_chinese():
    with translation.override("zh-hans"):
        shown = {code: str(name) for code, name in ethnicity.CHOICES}
    assert shown == ethnicity.CHINESE_NAMES
    assert len(set(shown.values())) == 56
    with translation.override("en"):
        assert str(dict(ethnicity.CHOICES)["05"]) == "Uyghur"


def test_the_resident_page_shows_ethnicity_in_chinese(client, community, secretary, resident):
    resident.ethnicity = "05"
    resident.save()
    client.force_login(secretary)
    html = client.get("/admin/community/resident/").content.decode()
    assert "维吾尔族" in html and "Uyghur" not in html
    form = client.get(f"/admin/community/resident/{resident.pk}/change/").content.decode()
    assert '<option value="01">汉族</option>' in form
    assert "Uyghur" not in form and ">Han<" not in form


def test_labels_that_named_two_things_alike_are_told_apart():
    with translation.override("zh-hans"):
        assert str(Building._meta.verbose_name_plural) == "楼栋"
        assert label(Resident, "residency_type") == "人口类型"
        assert label(Resident, "name") == "姓名"
        assert label(Visit, "findings") == "走访情况"
        assert label(VolunteerService, "hours") == "服务时长(小时)"
        assert label(TrainingCourse, "hours") == "学时"
        assert str(Dispute.Status.FOUND.label) == "已排查"
        assert label(MediationSession, "held_on") == "调解日期"
        assert label(CouncilMeeting, "held_on") == "会议日期"
        assert label(MediationSession, "summary") == "调解情况"
        assert label(Project, "summary") == "项目简介"
        assert label(Project, "started_on") == "开工日期"
        assert label(Pairing, "started_on") == "结对开始日期"
        assert label(MotionOption, "unit") == "计量单位"
        assert str(Motion._meta.verbose_name)  # the council's models still load their labels


def test_the_compound_list_counts_buildings_under_its_own_label(client, community, secretary):
    from tests.factories import BuildingFactory

    BuildingFactory(community=community)
    client.force_login(secretary)
    html = client.get("/admin/community/compound/").content.decode()
    assert "楼栋数" in html
    assert "楼栋</a>" in client.get("/admin/").content.decode()


def test_the_quarter_link_says_open_not_pending(client, community, secretary):
    from governance.models import QuarterlyAssessment, Star

    QuarterlyAssessment.objects.create(
        community=community,
        star=Star.objects.filter(community=community).first(),
        year=2024,
        quarter=1,
        mean_score=90,
        status=QuarterlyAssessment.Status.LIT,
        grade=QuarterlyAssessment.Grade.EXCELLENT,
        assessed_by=secretary,
    )
    client.force_login(secretary)
    html = client.get("/admin/governance/quarterlyassessment/").content.decode()
    assert ">打开</a>" in html and ">待处理</a>" not in html


def test_every_app_has_its_chinese_name():
    from django.apps import apps

    with translation.override("zh-hans"):
        names = {c.label: str(c.verbose_name) for c in apps.get_app_configs()}
    assert names["privacy"] == "个人信息保护"
    ours = ("privacy", "accounts", "community", "governance")
    assert not [label for label in ours if names[label].isascii()]
