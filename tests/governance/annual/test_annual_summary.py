"""The 2024 annual summary of the demo community equals the figures of the article.

Quoted from the 2024 news report on the community (2024年红星一场红星社区“六星”党支部建设工作综述):
有效解决居民诉求151起,摸排调解较大矛盾纠纷3起,提供法律咨询服务3次,开展各类平安建设宣传活动51次,
发放宣传册2000余册,社区矛盾纠纷调处率、化解率均达100%;入户走访宣传1351户,微信转发楼栋群医保、
养老政策、新规18次,社区文娱活动穿插政策宣传30余次,累计发放宣传册1472份;开展就业宣传26次,成功就业3人;
企业人力资源管理师培训35人、婴幼儿发展引导员培训27人、起重装卸机械操作工——叉车驾驶培训34人;
563名少数民族居民;民族团结联谊活动10余场次;“好家庭”12户、“好邻居”12人、“好楼栋”6栋、“好单元”6个;
各类志愿服务活动10余场次.
"""

from decimal import Decimal

import pytest

from governance.queries.annual import annual_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(demo):
    return annual_summary(community=demo.community, year=2024).values()


def test_summary_2024_equals_the_articles_safety_figures(figures):
    assert figures["requests_resolved"] == 151  # 有效解决居民诉求151起
    assert figures["major_disputes"] == 3  # 摸排调解较大矛盾纠纷3起
    assert figures["legal_consultations"] == 3  # 提供法律咨询服务3次
    assert figures["safety_publicity"] == 51  # 平安建设宣传活动51次
    assert 2000 < figures["safety_brochures"] < 2100  # 发放宣传册2000余册
    assert figures["mediation_rate"] == 100.0  # 调处率 100%
    assert figures["resolution_rate"] == 100.0  # 化解率 100%


def test_summary_2024_equals_the_articles_jobs_and_harmony_figures(figures):
    assert figures["policy_households"] == 1351  # 入户走访宣传1351户
    assert figures["policy_posts"] == 18  # 微信转发楼栋群……18次
    assert 30 < figures["policy_talks"] < 40  # 文娱活动穿插政策宣传30余次
    assert figures["policy_brochures"] == 1472  # 累计发放宣传册1472份
    assert figures["employment_publicity"] == 26  # 就业宣传26次
    assert figures["placements"] == 3  # 成功就业3人
    assert figures["training:企业人力资源管理师培训"] == 35
    assert figures["training:婴幼儿发展引导员培训"] == 27
    assert figures["training:起重装卸机械操作工——叉车驾驶培训"] == 34


def test_summary_2024_equals_the_articles_unity_fortress_and_cobuild_figures(figures):
    assert figures["minority_residents"] == 563  # 563名少数民族居民
    assert 10 < figures["unity_activities"] < 20  # 民族团结联谊活动10余场次
    assert figures["honour_family"] == 12  # “好家庭”12户
    assert figures["honour_neighbour"] == 12  # “好邻居”12人
    assert figures["honour_building"] == 6  # “好楼栋”6栋
    assert figures["honour_unit"] == 6  # “好单元”6个
    assert 10 < figures["volunteer_activities"] < 20  # 各类志愿服务活动10余场次
    budgets = [v for k, v in figures.items() if k.startswith("project_budget:")]
    assert budgets == [Decimal("8800000.00")]  # 累计投入880万元


def test_summary_of_a_year_without_records_is_zero(demo):
    figures = annual_summary(community=demo.community, year=2023).values()
    assert figures["requests_resolved"] == 0
    assert figures["safety_publicity"] == 0
    assert figures["mediation_rate"] is None
    assert figures["minority_residents"] == 563  # as of the end of 2023 (move-in dates)
