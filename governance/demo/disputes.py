"""The demo's disputes (矛盾纠纷) with their parties and mediation sessions, and the legal
consultations.

Disputes have no write service: staff record them, their parties and sessions in the admin as
plain rows, so the demo writes the same rows, each dispute closed by an agreement kept.
"""

import datetime as dt

from governance.demo.context import Demo, aware
from governance.models import Dispute, DisputeParty, LegalConsultation, MediationSession


def build_disputes(demo: Demo) -> None:
    mediator = demo.lead("safety")
    for i, spec in enumerate(demo.year_spec.get("disputes", [])):
        found = dt.date(demo.year, 2 + i * 10 // max(len(demo.year_spec["disputes"]), 1), 3)
        household = demo.rng.choice(demo.households)
        dispute = Dispute.objects.create(
            community=demo.community,
            grid_id=household.building.grid_id,
            star=demo.stars["safety"],
            title=spec["title"],
            description=f"{spec['title']},网格员排查发现后报社区调解。",
            kind=spec["kind"],
            source=Dispute.Source.PATROL,
            risk_level=spec.get("risk", "yellow"),
            is_major=spec.get("major", False),
            mediator=mediator,
            found_on=found,
            mediation_accepted_on=found + dt.timedelta(days=1),
            status=Dispute.Status.CLOSED,
            outcome=Dispute.Outcome.RESOLVED,
            closed_on=found + dt.timedelta(days=12),
            agreement_signed=True,
            agreement_fulfilled=True,
            agreement="双方自愿达成调解协议并已履行。",
            created_at=aware(found),
        )
        parties = [r for r in demo.residents if r.household_id == household.id][:1]
        other = demo.rng.choice(demo.residents)
        DisputeParty.objects.bulk_create(
            [
                DisputeParty(dispute=dispute, resident=parties[0], role="applicant"),
                DisputeParty(dispute=dispute, resident=other, role="respondent"),
            ]
        )
        MediationSession.objects.bulk_create(
            [
                MediationSession(
                    dispute=dispute,
                    held_on=found + dt.timedelta(days=d),
                    place="社区人民调解室",
                    mediators="社区调解员、网格员、社区民警",
                    summary=summary,
                    result=result,
                )
                for d, summary, result in [
                    (2, "听取双方陈述,释法明理。", MediationSession.Result.CONTINUE),
                    (9, "双方达成调解协议。", MediationSession.Result.AGREEMENT),
                ]
            ]
        )
    LegalConsultation.objects.bulk_create(
        LegalConsultation(
            community=demo.community,
            grid=demo.grids.get("G1"),
            star=demo.stars["safety"],
            consulted_on=dt.date(demo.year, 3 + 4 * i, 12),
            topic=spec["topic"],
            resident=demo.rng.choice(demo.residents),
            question=spec["question"],
            advice="已由社区法律顾问解答,并告知维权途径。",
            adviser="社区法律顾问",
        )
        for i, spec in enumerate(demo.year_spec.get("consultations", []))
    )
