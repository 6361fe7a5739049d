"""The demo's 2024 scores: the scoring engine (governance.services.scoring) computes every
month, the secretary reviews and locks it, and the quarters are assessed; nothing is typed in.
"""

import datetime as dt
from decimal import Decimal

from governance.demo.context import Demo
from governance.models import Indicator
from governance.queries.scores import suggested_satisfaction
from governance.services import scoring


def build_scores(demo: Demo) -> None:
    """Let the scoring engine compute, the secretary review and lock, and assess 2024."""
    spec = demo.year_spec.get("scoring", {})
    scoring.ensure_default_indicators(community=demo.community)
    for code, name, target in spec.get("targets", []):
        Indicator.objects.filter(community=demo.community, star__code=code, name=name).update(
            monthly_target=Decimal(target)
        )
    low, high = spec.get("review", [85, 95])
    default_c = Decimal(spec.get("satisfaction_default", 90))
    today = dt.date(demo.year + 1, 1, 10)
    for month in range(1, 13):
        first = dt.date(demo.year, month, 1)
        scores = scoring.compute_month(community=demo.community, month=first, today=today)
        for score in scores:
            suggested, _satisfied, _rated = suggested_satisfaction(
                community=demo.community, star=score.star, month=first
            )
            scoring.review_score(
                score=score,
                actor=demo.secretary,
                review=Decimal(demo.rng.randint(low, high)),
                satisfaction=suggested if suggested is not None else default_c,
                comment=f"{first:%Y年%m月}工作按计划推进。",
            )
        scoring.lock_month(community=demo.community, month=first, actor=demo.secretary)
    for quarter in range(1, 5):
        scoring.assess_quarter(
            community=demo.community, year=demo.year, quarter=quarter, actor=demo.secretary
        )
