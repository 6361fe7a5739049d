"""Reading one ledger row: parse and validate its cells into a ParsedRow, collecting every
problem as a readable error (no database)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community import ethnicity
from community.models import Resident
from community.resources.columns import (
    COL_BIRTH,
    COL_BUILDING,
    COL_COMPOUND,
    COL_DOOR,
    COL_ETHNICITY,
    COL_GENDER,
    COL_GRID,
    COL_ID,
    COL_MOVED_IN,
    COL_MOVED_OUT,
    COL_NAME,
    COL_NOTES,
    COL_PHONE,
    COL_PK,
    COL_POLITICAL,
    COL_RELATION,
    COL_RESIDENCY,
    COL_TAGS,
    COL_UNIT,
    GENDERS,
    RESIDENCY,
    TAG_SEPARATORS,
)
from community.validators import (
    birth_date_from_id,
    check_id_number_matches,
    gender_from_id,
    normalize_id_number,
    normalize_mobile,
)


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
