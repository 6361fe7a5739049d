"""ResidentResource: the resident ledger's import (all rows or none) and export."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields as ie_fields
from import_export import resources

from accounts.access import scoped
from community.models import CareTag, Community, Household, Resident, ResidentTag
from community.resources import columns
from community.resources.export import LedgerExportMixin
from community.resources.headers import map_headers
from community.resources.places import Places
from community.resources.report import ImportReport, describe
from community.resources.results import row_error
from community.resources.rows import ParsedRow, RowReader
from privacy import audit
from privacy.crypto import blind_index

# Model fields an import writes (bulk_update needs model field names).
WRITTEN_FIELDS = [
    "household",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_number",
    "id_number_hash",
    "id_number_masked",
    "phone",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    "relation_to_head",
    "political_status",
    "residency_type",
    "moved_in",
    "moved_out",
    "notes",
]
# Compared to tell an update from an unchanged row (household_id: no query per row).
COMPARED_FIELDS = [
    "household_id" if f == "household" else f
    for f in WRITTEN_FIELDS
    if f not in ("id_number", "phone")
]


def _chunks(items, size=2000):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ResidentResource(LedgerExportMixin, resources.ModelResource):
    pk = ie_fields.Field(attribute="pk", column_name=columns.COL_PK)
    name = ie_fields.Field(attribute="name", column_name=columns.COL_NAME)
    gender = ie_fields.Field(column_name=columns.COL_GENDER)
    birth_date = ie_fields.Field(column_name=columns.COL_BIRTH)
    ethnicity = ie_fields.Field(column_name=columns.COL_ETHNICITY)
    id_number = ie_fields.Field(column_name=columns.COL_ID)
    phone = ie_fields.Field(column_name=columns.COL_PHONE)
    grid = ie_fields.Field(column_name=columns.COL_GRID)
    compound = ie_fields.Field(column_name=columns.COL_COMPOUND)
    building = ie_fields.Field(column_name=columns.COL_BUILDING)
    unit = ie_fields.Field(column_name=columns.COL_UNIT)
    door_number = ie_fields.Field(column_name=columns.COL_DOOR)
    relation_to_head = ie_fields.Field(
        attribute="relation_to_head", column_name=columns.COL_RELATION
    )
    residency_type = ie_fields.Field(column_name=columns.COL_RESIDENCY)
    political_status = ie_fields.Field(
        attribute="political_status", column_name=columns.COL_POLITICAL
    )
    tags = ie_fields.Field(column_name=columns.COL_TAGS)
    moved_in = ie_fields.Field(column_name=columns.COL_MOVED_IN)
    moved_out = ie_fields.Field(column_name=columns.COL_MOVED_OUT)
    notes = ie_fields.Field(attribute="notes", column_name=columns.COL_NOTES)

    class Meta:
        model = Resident
        fields = [
            "pk",
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "id_number",
            "phone",
            "grid",
            "compound",
            "building",
            "unit",
            "door_number",
            "relation_to_head",
            "residency_type",
            "political_status",
            "tags",
            "moved_in",
            "moved_out",
            "notes",
        ]
        export_order = fields
        import_id_fields = []
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = False
        report_skipped = True
        store_instance = True  # the access log lists the records imported
        chunk_size = 2000

    def __init__(self, *, user=None, community: Community | None = None, fast: bool = True):
        super().__init__()
        self.user = user
        self.community = community
        self.fast = fast
        if not fast:
            # django-import-export's defaults: a save, a savepoint and a diff per row.
            self._meta.use_bulk = False
            self._meta.skip_diff = False
            self._meta.skip_html_diff = False
        self.allow_sensitive = user is None or user.has_perm("community.view_sensitive_data")
        self._parsed: dict[int, ParsedRow] = {}
        self._seen_ids: dict[str, int] = {}
        self._seen_pks: dict[int, int] = {}
        self._written: list[tuple[Resident, ParsedRow]] = []
        self._blocked = False
        self._changed = False
        self.report = ImportReport()

    @classmethod
    def get_display_name(cls):
        return _("Resident ledger")

    # -- import ---------------------------------------------------------------------------

    def import_data(self, dataset, *args, **kwargs):
        result = super().import_data(dataset, *args, **kwargs)
        result.ledger = self.report  # the preview's content (community.resources.report)
        return result

    def before_import(self, dataset, **kwargs):
        try:
            self._read_headers(dataset)
        except ValueError:
            del dataset[:]  # refused as a whole: no second error for each row
            raise
        self.tags = {t.name: t for t in CareTag.objects.filter(community=self.community)}
        self.reader = RowReader(
            headers=dataset.headers,
            tag_names=set(self.tags),
            allow_sensitive=self.allow_sensitive,
            today=timezone.localdate(),
        )
        self.places = Places(community=self.community, user=self.user, fast=self.fast)
        if self.fast:
            self._prepare(dataset)

    def _read_headers(self, dataset) -> None:
        """Give the file's columns the import's names (community.resources.headers); refuse
        the file when a column is missing, doubled or would be lost."""
        if self.community is None:
            raise ValueError(_("Choose the community to import into."))
        self.report.layout = getattr(dataset, "ledger_notes", None)
        names = [h for h in dataset.headers if h not in columns.HIDDEN_COLUMNS]
        mapped = map_headers(names)
        self.report.renamed, self.report.ignored = mapped.renamed, mapped.ignored
        headers = [col or f"_ignored_{i}" for i, col in enumerate(mapped.columns)]
        dataset.headers = headers + [h for h in dataset.headers if h in columns.HIDDEN_COLUMNS]
        missing = [c for c in columns.REQUIRED_COLUMNS if c not in headers]
        problems = list(mapped.problems)
        if missing:
            problems.insert(0, _("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
        if problems:
            raise ValueError(" ".join(problems))

    def _row_number(self, row: dict, index: int) -> int:
        number = row.get(columns.COL_ROW)
        return int(number) if number else index + 1

    def _prepare(self, dataset) -> None:
        """Fast path: parse and check every row, fetch the residents the file names, and
        create the missing places, before django-import-export's per-row loop."""
        headers = dataset.headers
        parsed = []
        for index, values in enumerate(dataset, start=1):
            row = dict(zip(headers, values, strict=False))
            p = self.reader.read(row, self._row_number(row, index))
            self._parsed[index] = p
            parsed.append(p)
        hashes = {blind_index(p.id_number, purpose="id_number") for p in parsed if p.id_number}
        pks = {p.pk for p in parsed if p.pk}
        existing: dict[int, Resident] = {}
        base = scoped(Resident.objects.filter(community=self.community), self.user)
        for chunk in _chunks(hashes):
            existing.update({r.pk: r for r in base.filter(id_number_hash__in=chunk)})
        for chunk in _chunks(pks - set(existing)):
            existing.update({r.pk: r for r in base.filter(pk__in=chunk)})
        self.by_pk = existing
        self.by_hash = {r.id_number_hash: r for r in existing.values() if r.id_number_hash}
        # Taken in the community but outside the user's scope: an error, not an update.
        self.taken_hashes = set()
        for chunk in _chunks(hashes - set(self.by_hash)):
            self.taken_hashes.update(
                Resident.objects.filter(
                    community=self.community, id_number_hash__in=chunk
                ).values_list("id_number_hash", flat=True)
            )
        for p in parsed:
            self._check_duplicates_in_file(p, pk=p.pk)
            if not p.errors:
                self.places.check_address(p)
        if any(p.errors for p in parsed):
            self._blocked = True
            return
        self.places.create_missing(parsed)
        self.by_name = defaultdict(list)
        household_ids = {self.places.household_for(p).pk for p in parsed}
        for chunk in _chunks(household_ids):
            for r in base.filter(household_id__in=chunk, id_number_hash=""):
                self.by_name[(r.household_id, r.name)].append(r)
        for p in parsed:
            p.match = self._match(p)
            if p.match is not None and not p.pk:
                self._check_duplicates_in_file(p, pk=p.match.pk)
        self._blocked = any(p.errors for p in parsed)

    def get_or_init_instance(self, instance_loader, row):
        index = self._current_index
        if self.fast:
            p = self._parsed[index]
        else:
            p = self.reader.read(row, self._row_number(row, index))
            if not p.errors:
                self.places.check_address(p)
            if not p.errors:
                p.match = self._match(p)
            if not p.errors:
                self._check_duplicates_in_file(p, pk=p.match.pk if p.match else None)
        self._current = p
        if p.errors or self._blocked or p.match is None:
            return Resident(community=self.community), True
        return p.match, False

    def _match(self, p: ParsedRow) -> Resident | None:
        if self.fast:
            if p.pk:
                return self.by_pk.get(p.pk) or self._error(p, _("No such 编号 in your records."))
            if p.id_number:
                h = blind_index(p.id_number, purpose="id_number")
                if h in self.taken_hashes:
                    return self._error(p, _("The ID number belongs to someone outside your grids."))
                if h in self.by_hash:
                    return self.by_hash[h]
            household = self.places.household_for(p)
            same_name = self.by_name.get((household.pk, p.name), [])
            return same_name[0] if len(same_name) == 1 else None
        base = scoped(Resident.objects.filter(community=self.community), self.user)
        if p.pk:
            return base.filter(pk=p.pk).first() or self._error(
                p, _("No such 编号 in your records.")
            )
        if p.id_number:
            h = blind_index(p.id_number, purpose="id_number")
            found = Resident.objects.filter(community=self.community, id_number_hash=h).first()
            if found is not None and not base.filter(pk=found.pk).exists():
                return self._error(p, _("The ID number belongs to someone outside your grids."))
            if found is not None:
                return found
        household = self.places.household_for(p)
        same_name = list(base.filter(household=household, name=p.name, id_number_hash="")[:2])
        return same_name[0] if len(same_name) == 1 else None

    @staticmethod
    def _error(p: ParsedRow, message: str) -> None:
        p.errors.append(message)
        return None

    def _check_duplicates_in_file(self, p: ParsedRow, *, pk: int | None) -> None:
        if p.id_number:
            first = self._seen_ids.setdefault(p.id_number, p.number)
            if first != p.number:
                p.errors.append(_("The ID number is the same as on row %(row)s.") % {"row": first})
        if pk:
            first = self._seen_pks.setdefault(pk, p.number)
            if first != p.number:
                p.errors.append(_("This row is the same resident as row %(row)s.") % {"row": first})

    def import_row(self, row, instance_loader, **kwargs):
        self._current_index = kwargs["row_number"]
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        p = self._current
        if p.errors:
            raise ValidationError([row_error(p.number, message) for message in p.errors])
        self._changed = False
        if self._blocked:
            return
        values = {
            "household": self.places.household_for(p),
            "name": p.name,
            "gender": p.gender,
            "birth_date": p.birth_date,
            "relation_to_head": p.relation,
            "political_status": p.political,
            "residency_type": p.residency or instance.residency_type,
            "moved_in": p.moved_in,
            "moved_out": p.moved_out,
        }
        if p.ethnicity is not None:
            values["ethnicity"] = p.ethnicity
        if p.notes is not None:
            values["notes"] = p.notes
        before = {f: getattr(instance, f) for f in COMPARED_FIELDS} if instance.pk else None
        for name, value in values.items():
            setattr(instance, name, value)
        if p.id_number is not None and (
            not instance.pk
            or instance.id_number_hash != blind_index(p.id_number, purpose="id_number")
        ):
            instance.set_id_number(p.id_number)
        if p.phone is not None and (
            not instance.pk or instance.phone_hash != blind_index(p.phone, purpose="phone")
        ):
            instance.set_phone(p.phone)
        instance.community = self.community
        after = {f: getattr(instance, f) for f in COMPARED_FIELDS}
        self._changed = instance.pk is None or before != after
        self._written.append((instance, p))
        self._preview(p, before, after, new=instance.pk is None)

    def _preview(self, p: ParsedRow, before, after, *, new: bool) -> None:
        if not new and not self._changed:
            self.report.unchanged += 1
            return
        row = describe(
            row=p.number,
            before=None if new else before,
            after=after,
            allow_sensitive=self.allow_sensitive,
            address_of=self.places.address_of,
        )
        (self.report.new if new else self.report.changed).append(row)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        return self._blocked or not self._changed

    def get_bulk_update_fields(self):
        return WRITTEN_FIELDS

    # The residents written here get one "import" audit row each, from the import's access
    # log entry (privacy.audit._access_logged): their own create/update rows would record
    # the same writes twice. Places and care tags the import adds are audited as usual.
    def bulk_create(self, *args, **kwargs):
        with audit.suppressed():
            return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        with audit.suppressed():
            return super().bulk_update(*args, **kwargs)

    def do_instance_save(self, instance, is_create):
        with audit.suppressed():
            return super().do_instance_save(instance, is_create)

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors():
            return
        written = [(r, p) for r, p in self._written if r.pk]
        self._sync_tags(written)
        self._set_heads(written)

    def _sync_tags(self, written) -> None:
        """Make each imported resident's care tags the ones the row lists (when the file
        has the column): add the missing, remove the others."""
        wanted = {r.pk: {self.tags[n].pk for n in p.tags} for r, p in written if p.tags is not None}
        if not wanted:
            return
        current = defaultdict(set)
        for chunk in _chunks(wanted):
            for resident_id, tag_id in ResidentTag.objects.filter(
                resident_id__in=chunk
            ).values_list("resident_id", "tag_id"):
                current[resident_id].add(tag_id)
        ResidentTag.objects.bulk_create(
            ResidentTag(resident_id=rid, tag_id=tid)
            for rid, tags in wanted.items()
            for tid in tags - current[rid]
        )
        for rid, tags in wanted.items():
            extra = current[rid] - tags
            if extra:
                ResidentTag.objects.filter(resident_id=rid, tag_id__in=extra).delete()

    def _set_heads(self, written) -> None:
        """A household's head is its resident whose 与户主关系 is 户主/本人 (one UPDATE per
        chunk of households, by subquery)."""
        household_ids = {r.household_id for r, p in written if p.relation in columns.HEAD_RELATIONS}
        head = (
            Resident.objects.filter(
                household=OuterRef("pk"), relation_to_head__in=columns.HEAD_RELATIONS
            )
            .order_by("pk")
            .values("pk")[:1]
        )
        for chunk in _chunks(household_ids):
            Household.objects.filter(pk__in=chunk).exclude(head__in=Subquery(head)).update(
                head=Subquery(head)
            )
