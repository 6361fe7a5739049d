"""The six stars every community starts with ("一星一两委,一星一小组"). Names stay editable data."""

from django.db import transaction

from community.models import Community
from governance.models import Star

DEFAULT_STARS = [
    (
        Star.Code.FORTRESS,
        "战斗堡垒星",
        "Fortress Star",
        "支部建设、组织生活、党员双报到、志愿服务",
        "Branch organisation, meetings, party members' dual registration, volunteer service",
    ),
    (
        Star.Code.SAFETY,
        "平安法治星",
        "Safety and Rule of Law Star",
        "“5+1”社警民融合网格、矛盾纠纷调解、法治宣传、平安建设",
        "Grid and police work, dispute mediation, legal publicity, public safety",
    ),
    (
        Star.Code.JOBS,
        "宜业兴业星",
        "Jobs and Enterprise Star",
        "就业宣传与登记、职业技能培训、就业帮扶",
        "Employment publicity and registration, vocational training, job placement",
    ),
    (
        Star.Code.HARMONY,
        "幸福和谐星",
        "Happiness and Harmony Star",
        "关爱特殊群体、医疗养老政策宣传、临时救助、群众满意",
        "Care for vulnerable groups, medical and pension policy publicity, relief, satisfaction",
    ),
    (
        Star.Code.COBUILD,
        "共建共享星",
        "Co-build and Share Star",
        "居民议事会、民生项目、共建单位、志愿者",
        "Residents' council, livelihood projects, co-building units, volunteers",
    ),
    (
        Star.Code.UNITY,
        "民族团结星",
        "Ethnic Unity Star",
        "民族结对帮扶、民族团结活动、“好家庭”等评选",
        "Pairing assistance, unity activities, model family and neighbour selections",
    ),
]


@transaction.atomic
def ensure_stars(*, community: Community) -> list[Star]:
    """Give the community any of the six default stars it lacks; existing stars are kept."""
    existing = set(Star.objects.filter(community=community).values_list("code", flat=True))
    Star.objects.bulk_create(
        Star(
            community=community,
            code=code,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            order=order,
        )
        for order, (code, name, name_en, description, description_en) in enumerate(
            DEFAULT_STARS, start=1
        )
        if code not in existing
    )
    return list(Star.objects.filter(community=community))
