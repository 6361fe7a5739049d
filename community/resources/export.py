"""The ledger's export: the user's scope only, masked ID numbers and phones, ethnicity and
care tags only for roles allowed to see them."""

from accounts.access import scoped
from community import ethnicity
from community.resources.columns import GENDER_LABELS, RESIDENCY_LABELS, SENSITIVE_COLUMNS


class LedgerExportMixin:
    """The export side of ResidentResource: which columns, which rows, and each cell's text.

    Uses the resource's `user` (whose scope is exported; None: every row) and
    `allow_sensitive` (whether the ethnicity and care-tag columns are included).
    """

    def _allowed_columns(self, fields):
        if self.allow_sensitive:
            return fields
        return [f for f in fields if f.column_name not in SENSITIVE_COLUMNS]

    def get_export_fields(self, selected_fields=None):
        return self._allowed_columns(super().get_export_fields(selected_fields))

    def get_user_visible_fields(self):
        return self._allowed_columns(super().get_user_visible_fields())

    def filter_export(self, queryset, **kwargs):
        queryset = scoped(queryset, self.user) if self.user is not None else queryset
        return queryset.with_place().prefetch_related("tags__tag").order_by("pk")

    def dehydrate_gender(self, r):
        return GENDER_LABELS.get(r.gender, "")

    def dehydrate_birth_date(self, r):
        return r.birth_date.isoformat() if r.birth_date else ""

    def dehydrate_ethnicity(self, r):
        return ethnicity.CHINESE_NAMES.get(r.ethnicity, "")

    def dehydrate_id_number(self, r):
        return r.id_number_masked

    def dehydrate_phone(self, r):
        return r.phone_masked

    def dehydrate_grid(self, r):
        return r.household.building.grid.code

    def dehydrate_compound(self, r):
        return r.household.building.compound.name

    def dehydrate_building(self, r):
        return r.household.building.number

    def dehydrate_unit(self, r):
        return r.household.unit.number if r.household.unit_id else ""

    def dehydrate_door_number(self, r):
        return r.household.door_number

    def dehydrate_residency_type(self, r):
        return RESIDENCY_LABELS.get(r.residency_type, "")

    def dehydrate_tags(self, r):
        return "、".join(t.tag.name for t in r.tags.all())

    def dehydrate_moved_in(self, r):
        return r.moved_in.isoformat() if r.moved_in else ""

    def dehydrate_moved_out(self, r):
        return r.moved_out.isoformat() if r.moved_out else ""
