"""The registry's records that feed the six stars' monthly figures, frozen once a month's
scores are locked.

Home visits feed the key-group visit coverage (重点人群走访覆盖率) of the month they were made
in; verified volunteer hours of party members feed the dual-registration service rate
(党员双报到服务率) of the month they were served in. A change to those facts in a month whose
scores are locked needs the party secretary and a reason, and is logged: the rule and the log
are the scores' (governance.services.locked_months). The registry never imports governance:
governance registers its guard here when it starts (GovernanceConfig.ready); without it (the
registry alone) nothing is frozen.

A fact is (day, *detail): what the month's figure counts of the record.
"""

from collections.abc import Callable

_guard: Callable | None = None
_guard_many: Callable | None = None


def register_guard(function: Callable, many: Callable) -> None:
    """function(record=, community_id=, before=, after=, actor=, reason=, action=,
    check_only=): refuses (PermissionDenied, ValidationError) a change to a locked month's
    facts, or (check_only False) logs it and marks the month's figures stale. many(
    community_id=, changes=[(record, before, after)], actor=, reason=, action=): the same for
    many records of one community at once."""
    global _guard, _guard_many
    _guard, _guard_many = function, many


def guard(
    *,
    record,
    community_id,
    before: set,
    after: set,
    actor,
    reason: str = "",
    action: str = "",
    check_only: bool = False,
) -> None:
    if _guard is not None and before != after:
        _guard(
            record=record,
            community_id=community_id,
            before=before,
            after=after,
            actor=actor,
            reason=reason,
            action=action,
            check_only=check_only,
        )


def guard_each(*, changes, actor, reason: str = "", action: str = "") -> None:
    """guard() for many (record, facts before, facts after): one check per community (its
    scores read once), not one per record."""
    by_community: dict = {}
    for record, before, after in changes:
        if before != after:
            by_community.setdefault(record.community_id, []).append((record, before, after))
    if _guard_many is None:
        return
    for community_id, group in by_community.items():
        _guard_many(
            community_id=community_id, changes=group, actor=actor, reason=reason, action=action
        )


def visit_facts(visit) -> set:
    """A visit counts for its household in the month it was made in."""
    if visit is None or visit.visited_on is None:
        return set()
    return {(visit.visited_on, "visit", visit.household_id)}


def service_facts(service) -> set:
    """Volunteer hours count for their party member, once verified, in the month served."""
    if service is None or not (service.party_member_id and service.verified_by_id):
        return set()
    return {(service.served_on, "served", service.party_member_id)}


def stored(record):
    """The record as stored (None for a new one)."""
    if not record.pk:
        return None
    return type(record)._default_manager.filter(pk=record.pk).first()
