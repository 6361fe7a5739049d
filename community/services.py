import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from accounts.access import home_community
from community import frozen_months
from community.models import CareTag, Community, Household, Resident, Visit, VolunteerService
from privacy import audit
from privacy.models import AccessLog

logger = logging.getLogger(__name__)


@transaction.atomic
def create_community(*, name: str, slug: str, regiment: str = "", division: str = "") -> Community:
    """Create a community with its default care groups. Its six stars are governance's:
    governance.services.setup.set_up_community() creates both."""
    community = Community.objects.create(name=name, slug=slug, regiment=regiment, division=division)
    ensure_care_tags(community=community)
    return community


# The care groups a new community starts with (names are data, editable in the admin):
# (name, visit every N days).
DEFAULT_CARE_TAGS = [
    ("独居老人", 7),
    ("空巢老人", 14),
    ("特困", 14),
    ("低保", 30),
    ("残疾", 30),
    ("留守儿童", 30),
    ("单亲家庭", 60),
    ("就业困难", 30),
    ("重病患者", 14),
    ("优抚对象", 60),
    ("退役军人", 90),
]


@transaction.atomic
def ensure_care_tags(*, community: Community) -> None:
    """Give the community any of the default care tags it lacks; edited ones are kept."""
    existing = set(CareTag.objects.filter(community=community).values_list("name", flat=True))
    CareTag.objects.bulk_create(
        CareTag(community=community, name=name, visit_every_days=days, order=order)
        for order, (name, days) in enumerate(DEFAULT_CARE_TAGS, start=1)
        if name not in existing
    )


@transaction.atomic
def reveal_personal_data(*, user, resident: Resident, reason: str) -> dict[str, str]:
    """One resident's full ID number and phone, for a user holding the permission; the
    reveal is written to the access log first (who, when, which record, why)."""
    if not user.has_perm("community.reveal_personal_data"):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for revealing personal data."), code="reason")
    fields = [f for f in Resident.PROTECTED_FIELDS if getattr(resident, f)]
    AccessLog.objects.create(
        community_id=resident.community_id,
        user=user,
        action=AccessLog.Action.REVEAL,
        model=Resident._meta.label_lower,
        object_ids=[resident.pk],
        record_count=1,
        fields=fields,
        reason=reason,
    )
    logger.info("personal data revealed: resident=%s user=%s", resident.pk, user.pk)
    return {"id_number": resident.id_number, "phone": resident.phone}


def record_access(
    *,
    user,
    action: str,
    model,
    object_ids: list[int],
    reason: str,
    fields: list[str] | None = None,
    community: Community | None = None,
) -> AccessLog:
    """Write one access-log entry (exports and imports call this)."""
    entry = AccessLog.objects.create(
        community=community if community is not None else home_community(user),
        user=user,
        action=action,
        model=model._meta.label_lower,
        object_ids=sorted(object_ids),
        record_count=len(object_ids),
        fields=fields or [],
        reason=reason.strip(),
    )
    logger.info(
        "personal data %s: %s x%s user=%s", action, entry.model, entry.record_count, user.pk
    )
    return entry


def check_visit(
    *,
    household: Household | None,
    resident: Resident | None = None,
    visited_on: dt.date | None = None,
) -> None:
    """The rules of a home visit: the resident met (if any) lives in the household visited,
    and a visit is not in the future. A value not known yet (None) is not checked.

    Raises one ValidationError keyed by field ("resident", "visited_on") with every rule
    broken; record_visit() applies it, and the visit form shows it on its fields.
    """
    errors = {}
    if household is not None and resident is not None and resident.household_id != household.pk:
        errors["resident"] = _("The resident met must live in the household visited.")
    if visited_on is not None and visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_visit(
    *,
    visitor,
    household: Household,
    visited_on: dt.date | None = None,
    purpose: str = Visit.Purpose.CARE,
    findings: str = "",
    resident: Resident | None = None,
    follow_up_needed: bool = False,
    follow_up_note: str = "",
) -> Visit:
    """Record a home visit (the rules: check_visit); the visit belongs to the household's
    community."""
    visit = Visit(
        community_id=household.community_id,
        household=household,
        resident=resident,
        visitor=visitor,
        purpose=purpose,
        findings=findings,
        follow_up_needed=follow_up_needed,
        follow_up_note=follow_up_note,
    )
    if visited_on is not None:
        visit.visited_on = visited_on
    check_visit(household=household, resident=resident, visited_on=visit.visited_on)
    visit.save()
    return visit


@transaction.atomic
def save_visit(*, visit: Visit, actor, reason: str = "") -> Visit:
    """Save a visit changed in the back office (the rules: check_visit); one counted in a month
    whose scores are locked changes only with the secretary's reason (frozen_months)."""
    check_visit(household=visit.household, resident=visit.resident, visited_on=visit.visited_on)
    visit.community_id = visit.household.community_id
    frozen_months.guard(
        record=visit,
        community_id=visit.community_id,
        before=frozen_months.visit_facts(frozen_months.stored(visit)),
        after=frozen_months.visit_facts(visit),
        actor=actor,
        reason=reason,
    )
    if not visit.visitor_id:
        visit.visitor = actor
    visit.save()
    return visit


@transaction.atomic
def delete_visit(*, visit: Visit, actor, reason: str = "") -> None:
    frozen_months.guard(
        record=visit,
        community_id=visit.community_id,
        before=frozen_months.visit_facts(visit),
        after=set(),
        actor=actor,
        reason=reason,
        action="delete",
    )
    visit.delete()


@transaction.atomic
def verify_volunteer_services(*, user, services, reason: str = "") -> int:
    """Mark volunteer hours as verified by the user (those not verified yet). A verified record
    is not edited any more: a change goes through correct_volunteer_service(). Verifying a
    party member's hours of a month whose scores are locked changes its figures: the
    secretary's, with a reason (frozen_months)."""
    # Locked alone: the caller's queryset may join other tables (an admin list's
    # select_related), and PostgreSQL cannot lock the nullable side of an outer join.
    pending = list(
        VolunteerService.objects.filter(
            pk__in=list(services.values_list("pk", flat=True)), verified_by__isnull=True
        ).select_for_update()
    )
    changes = []
    for service in pending:
        before = frozen_months.service_facts(service)
        service.verified_by = user
        changes.append((service, before, frozen_months.service_facts(service)))
    frozen_months.guard_each(changes=changes, actor=user, reason=reason, action="verify")
    return VolunteerService.objects.filter(pk__in=[s.pk for s in pending]).update(verified_by=user)


CORRECTABLE = ("activity", "served_on", "hours")


@transaction.atomic
def correct_volunteer_service(
    *, service: VolunteerService, reason: str, actor=None, **values
) -> VolunteerService:
    """Correct a record of volunteer hours (its activity, day or hours), giving the reason.

    Corrected hours are hours nobody has verified: a verified record loses its verification and
    waits to be verified again. The change and its reason are kept together in the audit trail
    (one row: each changed field's old and new value, the verifier dropped, the reason). A
    correction that changes nothing, or gives no reason, is refused.
    """
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason")
    if set(values) - set(CORRECTABLE):
        raise ValueError(f"only {', '.join(CORRECTABLE)} are corrected")
    service = VolunteerService.objects.select_for_update().get(pk=service.pk)
    before = frozen_months.service_facts(service)
    changes = {
        name: [str(getattr(service, name)), str(value)]
        for name, value in values.items()
        if getattr(service, name) != value
    }
    if not changes:
        raise ValidationError(_("The correction changes nothing."), code="unchanged")
    if service.verified_by_id is not None:
        changes["verified_by"] = [service.verified_by_id, None]
    for name, value in values.items():
        setattr(service, name, value)
    service.verified_by = None
    service.full_clean()
    # Unverified, the hours leave the month they counted in: a locked month needs the
    # secretary (the correction's reason is the one logged).
    frozen_months.guard(
        record=service,
        community_id=service.community_id,
        before=before,
        after=frozen_months.service_facts(service),
        actor=actor,
        reason=reason,
        action="correct",
    )
    with audit.suppressed():
        service.save(update_fields=[*CORRECTABLE, "verified_by"])
    audit.record_bulk(
        "update",
        model=VolunteerService,
        object_ids=[service.pk],
        community_id=service.community_id,
        changes={**changes, "reason": reason.strip()},
    )
    return service


def import_resident_ledger(
    *, user, community: Community, data: bytes, dry_run: bool = False, fast: bool = True
):
    """Import an XLSX resident ledger: all rows or none (see community.resources).

    Returns django-import-export's Result; error_lines(result) lists every bad row.
    A successful real import is written to the access log.
    """
    from community.resources import LedgerFile, ResidentResource, imported_ids

    dataset = (LedgerFile() if fast else XLSX()).create_dataset(data)
    resource = ResidentResource(user=user, community=community, fast=fast)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    if not dry_run and not result.has_errors() and not result.has_validation_errors():
        record_access(
            user=user,
            action=AccessLog.Action.IMPORT,
            model=Resident,
            object_ids=imported_ids(result),
            reason=_("Excel import"),
            community=community,
        )
    return result
