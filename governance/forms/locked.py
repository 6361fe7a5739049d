"""The back-office forms of records that feed a month's figures (disputes, pairings and their
contacts, and the like): a "reason for the change" field, and the locked-month check made on
the record as it would be saved, so that the refusal shows on the form and nothing is written.

The rule is governance.services.locked_months' (the one guard the ledger uses too): a change
to a locked month's figures needs the party secretary and a reason; the service that saves
the record applies it again and logs the change.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from governance.forms.work import reason_field
from governance.services.locked_months import check_months

__all__ = ["LockedFiguresFormMixin", "reason_field"]


class LockedFiguresFormMixin:
    """For a ModelForm with a `change_reason` field; the admin sets `actor` (and, when the
    record's community is filled in on saving, `community`) on the form class.

    touched(instance) names the (star, month) pairs whose figures saving the instance (its new
    values already set) would change; community_of(instance) the community they belong to.
    """

    actor = None
    community = None  # the user's community, which a new record will be saved in

    def touched(self, instance) -> frozenset:
        raise NotImplementedError

    def community_of(self, instance):
        return instance.community_id

    def _post_clean(self):
        super()._post_clean()
        if self.actor is None or self._errors:
            return
        if hasattr(self.instance, "community_id") and not self.instance.community_id:
            # A new record goes to the user's community (the admin fills it in on saving).
            self.instance.community_id = getattr(self.community, "pk", self.community)
        try:
            check_months(
                community=self.community_of(self.instance),
                touched=self.touched(self.instance),
                actor=self.actor,
                reason=self.cleaned_data.get("change_reason", ""),
            )
        except PermissionDenied as error:
            self.add_error(None, ValidationError(str(error), code="locked_month"))
        except ValidationError as error:
            self.add_error("change_reason" if "change_reason" in self.fields else None, error)
