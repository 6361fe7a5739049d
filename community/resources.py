"""Excel import and export of the resident ledger (居民台账) through django-import-export.

The file format is the ledger community offices already keep: one row per resident with
the Chinese headers below. Headers and cell values (男/女, 户籍/常住/流动, 汉族, ...) are a
data format, not interface text, so they are not translated.

Import (``ResidentResource``):
- every row is parsed and validated first (ID number, mobile, dates, names of places), and
  every bad row is reported with its reason; the import applies all rows or none
  (``import_data(..., rollback_on_validation_errors=True)``);
- a row matches an existing resident by 编号 (the record number an export writes), else by
  ID number (blind index), else by household and name; a masked value (an export's
  650***********1234) keeps the stored number;
- missing compounds, buildings, units and households are created; a new building needs
  the 网格 column;
- an unchanged row is skipped, so importing the same file twice changes nothing.

Fast path (``fast=True``, the default): one pass reads the rows, lookups are pre-fetched
into dictionaries (one query per table), missing places are created with bulk_create, and
residents are written with bulk_create / bulk_update in batches, without per-row diffs or
savepoints. ``fast=False`` keeps django-import-export's default configuration (a query per
lookup, a save and a savepoint per row, HTML diffs): bench/registry_import.py compares them.

Export: masked ID numbers and phones, the user's scope only, formulas escaped (settings),
ethnicity and care tags only for roles allowed to see them.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields as ie_fields
from import_export import resources
from import_export.formats.base_formats import XLSX

from accounts.access import grid_ids, scoped
from community import ethnicity
from community.models import (
    Building,
    CareTag,
    Community,
    Compound,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Unit,
)
from community.uploads import check_spreadsheet
from community.validators import (
    birth_date_from_id,
    check_id_number_matches,
    gender_from_id,
    normalize_id_number,
    normalize_mobile,
)
from privacy import audit
from privacy.crypto import blind_index

# Column headers, in the order an export writes them.
COL_PK = "编号"
COL_NAME = "姓名"
COL_GENDER = "性别"
COL_BIRTH = "出生日期"
COL_ETHNICITY = "民族"
COL_ID = "身份证号"
COL_PHONE = "联系电话"
COL_GRID = "网格"
COL_COMPOUND = "小区"
COL_BUILDING = "楼栋"
COL_UNIT = "单元"
COL_DOOR = "门牌号"
COL_RELATION = "与户主关系"
COL_RESIDENCY = "人口类型"
COL_POLITICAL = "政治面貌"
COL_TAGS = "人员类别"
COL_MOVED_IN = "迁入日期"
COL_MOVED_OUT = "迁出日期"
COL_NOTES = "备注"
# Hidden column the ledger reader adds: the row's number in the spreadsheet.
COL_ROW = "_row"

REQUIRED_COLUMNS = [COL_NAME, COL_COMPOUND, COL_BUILDING, COL_DOOR]
SENSITIVE_COLUMNS = [COL_ETHNICITY, COL_TAGS]
GENDERS = {"男": "M", "女": "F", "M": "M", "F": "F"}
GENDER_LABELS = {"M": "男", "F": "女"}
RESIDENCY = {
    "户籍": Resident.ResidencyType.REGISTERED,
    "户籍人口": Resident.ResidencyType.REGISTERED,
    "常住": Resident.ResidencyType.PERMANENT,
    "常住人口": Resident.ResidencyType.PERMANENT,
    "流动": Resident.ResidencyType.FLOATING,
    "流动人口": Resident.ResidencyType.FLOATING,
}
RESIDENCY_LABELS = {
    Resident.ResidencyType.REGISTERED: "户籍",
    Resident.ResidencyType.PERMANENT: "常住",
    Resident.ResidencyType.FLOATING: "流动",
}
HEAD_RELATIONS = {"户主", "本人"}
TAG_SEPARATORS = re.compile(r"[、,,;;/\s]+")
MAX_IMPORT_ROWS = 50_000

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
COMPARED_FIELDS = [f for f in WRITTEN_FIELDS if f not in ("id_number", "phone")]


class LedgerXLSX(XLSX):
    """XLSX reader for ledgers: read-only openpyxl, plain values, blank rows skipped (and
    phantom rows of badly saved files ignored), each row keeping its spreadsheet number."""

    def create_dataset(self, in_stream):
        check_spreadsheet(in_stream)  # size and zip-bomb limits (community/uploads.py)
        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            header = next(rows, None) or ()
            headers = [str(h).strip() if h is not None else "" for h in header]
            while headers and not headers[-1]:
                headers.pop()
            width = len(headers)
            dataset = tablib.Dataset(headers=[*headers, COL_ROW])
            for number, values in enumerate(rows, start=2):
                values = list(values[:width])
                if not any(v not in (None, "") for v in values):
                    continue
                if len(dataset) >= MAX_IMPORT_ROWS:
                    raise ValueError(
                        _("The file has more than %(max)s rows; split it.")
                        % {"max": MAX_IMPORT_ROWS}
                    )
                values += [None] * (width - len(values))
                dataset.append([*values, number])
            return dataset
        finally:
            book.close()


def write_xlsx(headers: list[str], rows) -> bytes:
    """A plain XLSX file (write-only openpyxl): used by tests and the benchmark."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ParsedRow:
    number: int  # the row's number in the spreadsheet
    pk: int | None = None
    name: str = ""
    gender: str = ""
    birth_date: dt.date | None = None
    ethnicity: str | None = None  # None: column absent, keep
    id_number: str | None = None  # None: keep the stored value ("" clears)
    phone: str | None = None
    grid_code: str = ""
    compound: str = ""
    building: str = ""
    unit: str = ""
    door: str = ""
    relation: str = ""
    residency: str = ""
    political: str = ""
    tags: list[str] | None = None  # None: column absent, keep
    moved_in: dt.date | None = None
    moved_out: dt.date | None = None
    notes: str | None = None
    match: Resident | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def address(self) -> tuple[str, str, str, str]:
        return (self.compound, self.building, self.unit, self.door)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_masked(value: str) -> bool:
    return "*" in value


class RowReader:
    """Turns one spreadsheet row into a ParsedRow, collecting readable errors (no DB)."""

    def __init__(self, *, headers, tag_names: set[str], allow_sensitive: bool, today):
        self.headers = set(headers)
        self.tag_names = tag_names
        self.allow_sensitive = allow_sensitive
        self.today = today

    def has(self, column: str) -> bool:
        return column in self.headers

    def read(self, row: dict, number: int) -> ParsedRow:
        p = ParsedRow(number=number)
        errors = p.errors
        get = row.get
        pk = _text(get(COL_PK))
        if pk:
            if pk.isdigit():
                p.pk = int(pk)
            else:
                errors.append(_("The record number must be a whole number."))
        p.name = _text(get(COL_NAME))
        if not p.name:
            errors.append(_("Name is required."))
        elif len(p.name) > 50:
            errors.append(_("The name is longer than 50 characters."))
        gender = _text(get(COL_GENDER))
        if gender:
            p.gender = GENDERS.get(gender, "")
            if not p.gender:
                errors.append(_("Gender must be 男 or 女."))
        p.birth_date = self._date(get(COL_BIRTH), _("birth date"), errors)
        if p.birth_date and p.birth_date > self.today:
            errors.append(_("The birth date is in the future."))
        if self.has(COL_ETHNICITY) and self.allow_sensitive:
            value = _text(get(COL_ETHNICITY))
            p.ethnicity = ethnicity.code_for(value) if value else ""
            if p.ethnicity is None:
                errors.append(_("Unknown ethnic group: %(value)s") % {"value": value[:20]})
        if self.has(COL_ID):
            self._read_id_number(p, _text(get(COL_ID)))
        if self.has(COL_PHONE):
            value = _text(get(COL_PHONE))
            if value and not _is_masked(value):
                try:
                    p.phone = normalize_mobile(value)
                except ValidationError as exc:
                    errors.extend(exc.messages)
            elif not value:
                p.phone = ""
        if not p.gender:
            if p.id_number:
                p.gender = gender_from_id(p.id_number)
            elif not errors:
                errors.append(_("Gender is required when there is no ID number."))
        p.grid_code = _text(get(COL_GRID))
        p.compound = _text(get(COL_COMPOUND))
        p.building = _text(get(COL_BUILDING))
        p.unit = _text(get(COL_UNIT))
        p.door = _text(get(COL_DOOR))
        for value, label in [
            (p.compound, COL_COMPOUND),
            (p.building, COL_BUILDING),
            (p.door, COL_DOOR),
        ]:
            if not value:
                errors.append(_("%(column)s is required.") % {"column": label})
        p.relation = _text(get(COL_RELATION))[:20]
        residency = _text(get(COL_RESIDENCY))
        p.residency = RESIDENCY.get(residency, "") if residency else ""
        if residency and not p.residency:
            errors.append(_("人口类型 must be 户籍, 常住 or 流动."))
        p.political = _text(get(COL_POLITICAL))[:20]
        if self.has(COL_TAGS) and self.allow_sensitive:
            names = [n for n in TAG_SEPARATORS.split(_text(get(COL_TAGS))) if n]
            unknown = [n for n in names if n not in self.tag_names]
            if unknown:
                errors.append(_("Unknown care tag: %(tags)s") % {"tags": "、".join(unknown)})
            p.tags = sorted(set(names))
        p.moved_in = self._date(get(COL_MOVED_IN), _("moved-in date"), errors)
        p.moved_out = self._date(get(COL_MOVED_OUT), _("moved-out date"), errors)
        if p.moved_in and p.moved_out and p.moved_out < p.moved_in:
            errors.append(_("The moved-out date is before the moved-in date."))
        if self.has(COL_NOTES):
            p.notes = _text(get(COL_NOTES))
        return p

    def _read_id_number(self, p: ParsedRow, value: str) -> None:
        if not value:
            p.id_number = ""
            return
        if _is_masked(value):
            if p.pk is None:
                p.errors.append(_("A masked ID number can only be kept for a row with its 编号."))
            return
        try:
            p.id_number = normalize_id_number(value, today=self.today)
        except ValidationError as exc:
            p.errors.extend(exc.messages)
            return
        mismatch = check_id_number_matches(
            p.id_number, birth_date=p.birth_date, gender=p.gender or None
        )
        p.errors.extend(e.messages[0] for e in mismatch.values())
        if not p.birth_date:
            p.birth_date = birth_date_from_id(p.id_number)

    @staticmethod
    def _date(value, label, errors) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date)
            except ValueError:
                continue
        errors.append(_("The %(label)s is not a date (use 2024-05-01).") % {"label": label})
        return None


class Places:
    """Compounds, buildings, units, households and residents of one community.

    fast=True: everything the file needs is fetched up front into dictionaries and missing
    places are bulk-created. fast=False: every lookup is a query (get_or_create), the way
    a default ModelResource with foreign-key widgets works.
    """

    def __init__(self, *, community: Community, user, fast: bool):
        self.community = community
        self.user = user
        self.fast = fast
        self.allowed_grids = grid_ids(user) if user is not None else None
        self.grids = {g.code: g for g in Grid.objects.filter(community=community)}
        self.grids.update({g.name: g for g in self.grids.values()})
        if fast:
            self.compounds = {c.name: c for c in Compound.objects.filter(community=community)}
            self.buildings = {
                (b.compound_id, b.number): b for b in Building.objects.filter(community=community)
            }
            self.units = {
                (u.building_id, u.number): u
                for u in Unit.objects.filter(building__community=community)
            }
            self.households = {
                (h.building_id, h.unit_id, h.door_number): h
                for h in Household.objects.filter(community=community)
            }

    # -- checks that need the database, done once per row ---------------------------------

    def check_address(self, p: ParsedRow) -> None:
        compound = self._compound(p.compound, create=False)
        building = (
            self._building(compound, p.building, create=False) if compound is not None else None
        )
        if building is None:
            grid = self.grids.get(p.grid_code) if p.grid_code else None
            if not p.grid_code:
                p.errors.append(_("A new building needs the 网格 column."))
            elif grid is None:
                p.errors.append(_("Unknown grid: %(grid)s") % {"grid": p.grid_code[:20]})
            elif not self._grid_allowed(grid.pk):
                p.errors.append(_("You cannot add buildings to grid %(grid)s.") % {"grid": grid})
        elif not self._grid_allowed(building.grid_id):
            p.errors.append(_("This building is outside your grids."))

    def _grid_allowed(self, grid_id: int) -> bool:
        return self.allowed_grids is None or grid_id in self.allowed_grids

    # -- lookups and creation -------------------------------------------------------------

    def _compound(self, name: str, *, create: bool) -> Compound | None:
        if not self.fast:
            if create:
                return Compound.objects.get_or_create(community=self.community, name=name)[0]
            return Compound.objects.filter(community=self.community, name=name).first()
        return self.compounds.get(name)

    def _building(self, compound, number: str, *, create: bool, grid_code: str = ""):
        if not self.fast:
            if create:
                return Building.objects.get_or_create(
                    compound=compound,
                    number=number,
                    defaults={"community": self.community, "grid": self.grids.get(grid_code)},
                )[0]
            return Building.objects.filter(compound=compound, number=number).first()
        return self.buildings.get((compound.pk, number))

    def household_for(self, p: ParsedRow) -> Household:
        """The row's household, created with its places when missing (slow path)."""
        if self.fast:
            compound = self.compounds[p.compound]
            building = self.buildings[(compound.pk, p.building)]
            unit = self.units[(building.pk, p.unit)] if p.unit else None
            return self.households[(building.pk, unit.pk if unit else None, p.door)]
        compound = self._compound(p.compound, create=True)
        building = self._building(compound, p.building, create=True, grid_code=p.grid_code)
        unit = Unit.objects.get_or_create(building=building, number=p.unit)[0] if p.unit else None
        return Household.objects.get_or_create(
            building=building,
            unit=unit,
            door_number=p.door,
            defaults={"community": self.community},
        )[0]

    def create_missing(self, rows: list[ParsedRow]) -> None:
        """Fast path: bulk-create the compounds, buildings, units and households the rows
        name and the community lacks (a few queries in all)."""
        new_compounds = {p.compound for p in rows} - set(self.compounds)
        created = Compound.objects.bulk_create(
            Compound(community=self.community, name=name) for name in sorted(new_compounds)
        )
        self.compounds.update({c.name: c for c in created})
        new_buildings = {}
        for p in rows:
            key = (self.compounds[p.compound].pk, p.building)
            if key not in self.buildings and key not in new_buildings:
                new_buildings[key] = Building(
                    community=self.community,
                    compound=self.compounds[p.compound],
                    grid=self.grids[p.grid_code],
                    number=p.building,
                )
        for b in Building.objects.bulk_create(new_buildings.values()):
            self.buildings[(b.compound_id, b.number)] = b
        new_units = {}
        for p in rows:
            if p.unit:
                building = self.buildings[(self.compounds[p.compound].pk, p.building)]
                key = (building.pk, p.unit)
                if key not in self.units and key not in new_units:
                    new_units[key] = Unit(building=building, number=p.unit)
        for u in Unit.objects.bulk_create(new_units.values()):
            self.units[(u.building_id, u.number)] = u
        new_households = {}
        for p in rows:
            building = self.buildings[(self.compounds[p.compound].pk, p.building)]
            unit = self.units[(building.pk, p.unit)] if p.unit else None
            key = (building.pk, unit.pk if unit else None, p.door)
            if key not in self.households and key not in new_households:
                new_households[key] = Household(
                    community=self.community, building=building, unit=unit, door_number=p.door
                )
        for h in Household.objects.bulk_create(new_households.values()):
            self.households[(h.building_id, h.unit_id, h.door_number)] = h


def _chunks(items, size=2000):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ResidentResource(resources.ModelResource):
    pk = ie_fields.Field(attribute="pk", column_name=COL_PK)
    name = ie_fields.Field(attribute="name", column_name=COL_NAME)
    gender = ie_fields.Field(column_name=COL_GENDER)
    birth_date = ie_fields.Field(column_name=COL_BIRTH)
    ethnicity = ie_fields.Field(column_name=COL_ETHNICITY)
    id_number = ie_fields.Field(column_name=COL_ID)
    phone = ie_fields.Field(column_name=COL_PHONE)
    grid = ie_fields.Field(column_name=COL_GRID)
    compound = ie_fields.Field(column_name=COL_COMPOUND)
    building = ie_fields.Field(column_name=COL_BUILDING)
    unit = ie_fields.Field(column_name=COL_UNIT)
    door_number = ie_fields.Field(column_name=COL_DOOR)
    relation_to_head = ie_fields.Field(attribute="relation_to_head", column_name=COL_RELATION)
    residency_type = ie_fields.Field(column_name=COL_RESIDENCY)
    political_status = ie_fields.Field(attribute="political_status", column_name=COL_POLITICAL)
    tags = ie_fields.Field(column_name=COL_TAGS)
    moved_in = ie_fields.Field(column_name=COL_MOVED_IN)
    moved_out = ie_fields.Field(column_name=COL_MOVED_OUT)
    notes = ie_fields.Field(attribute="notes", column_name=COL_NOTES)

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

    @classmethod
    def get_display_name(cls):
        return _("Resident ledger")

    # -- export ---------------------------------------------------------------------------

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if not self.allow_sensitive:
            fields = [f for f in fields if f.column_name not in SENSITIVE_COLUMNS]
        return fields

    def get_user_visible_fields(self):
        fields = super().get_user_visible_fields()
        if not self.allow_sensitive:
            fields = [f for f in fields if f.column_name not in SENSITIVE_COLUMNS]
        return fields

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

    # -- import ---------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.community is None:
            raise ValueError(_("Choose the community to import into."))
        missing = [c for c in REQUIRED_COLUMNS if c not in dataset.headers]
        if missing:
            raise ValueError(_("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
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

    def _row_number(self, row: dict, index: int) -> int:
        number = row.get(COL_ROW)
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
        after = {f: getattr(instance, f) for f in COMPARED_FIELDS} if instance.pk else None
        self._changed = instance.pk is None or before != after
        self._written.append((instance, p))

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
        household_ids = {r.household_id for r, p in written if p.relation in HEAD_RELATIONS}
        head = (
            Resident.objects.filter(household=OuterRef("pk"), relation_to_head__in=HEAD_RELATIONS)
            .order_by("pk")
            .values("pk")[:1]
        )
        for chunk in _chunks(household_ids):
            Household.objects.filter(pk__in=chunk).exclude(head__in=Subquery(head)).update(
                head=Subquery(head)
            )


def imported_ids(result) -> list[int]:
    """Primary keys of the residents an import created, updated or found unchanged."""
    return sorted({row.instance.pk for row in result.rows if getattr(row, "instance", None)})


def row_error(number: int, message: str) -> str:
    """第12行:身份证号校验位错误"""
    return _("Row %(row)s: %(message)s") % {"row": number, "message": message}


def error_lines(result) -> list[str]:
    """Every problem of an import result, one readable line each."""
    lines = [str(e.error) for e in result.base_errors]
    for invalid in result.invalid_rows:
        lines.extend(invalid.error.messages)
    for number, errors in result.row_errors():
        lines.extend(row_error(number + 1, str(error.error)) for error in errors)
    return lines
