"""Resident/household foreign keys: an autocomplete where the registry's admin is searchable,
else a raw id box (both limited to the editor's scope by CommunityScopedAdmin)."""


class PeopleFieldsMixin:
    people_fields: tuple[str, ...] = ()

    def _searchable(self, name: str) -> bool:
        model = self.model._meta.get_field(name).related_model
        related_admin = self.admin_site._registry.get(model)
        return bool(related_admin and related_admin.search_fields)

    @property
    def autocomplete_fields(self):
        return [name for name in self.people_fields if self._searchable(name)]

    @property
    def raw_id_fields(self):
        return [name for name in self.people_fields if not self._searchable(name)]
