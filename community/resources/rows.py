"""Reading one ledger row: parse and validate its cells into a ParsedRow, collecting every
problem as a readable error (no database)."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community import ethnicity
from community.models import Resident
from community.normalize import compact_identifier, normalize_identifier
from community.resources.cells import (
    MonthOnly,
    NotADate,
    arrived_as_date,
    arrived_as_number,
    read_date,
)
from community.resources.columns import (
    ADDRESS_COLUMNS,
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
    COL_PROBLEM,
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
    birth_month: MonthOnly | None = None  # a birth date given as year and month only
    id_refused: bool = False
    match: Resident | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # for the preview
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


def _ident(value) -> str:
    """An identifier cell's text in one normal form (full-width digits folded, NFKC)."""
    return normalize_identifier(_text(value))


def _is_masked(value: str) -> bool:
    return "*" in value


def _address_date_error(column: str, value) -> str:
    shown = value.date().isoformat() if isinstance(value, dt.datetime) else str(value)[:19]
    return _(
        "%(column)s was turned into a date (%(value)s) by the spreadsheet program, as it does "
        "with 1-1 or 3-2: format the %(column)s column as Text, type the values again and "
        "import the file again."
    ) % {"column": column, "value": shown}


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
        if get(COL_PROBLEM):
            errors.append(str(get(COL_PROBLEM)))
        pk = _ident(get(COL_PK))
        if pk:
            if pk.isdigit():
                p.pk = int(pk)
            else:
                errors.append(_("The record number must be a whole number."))
        self._read_person(p, get)
        self._read_place(p, get)
        self._read_status(p, get)
        return p

    def _read_person(self, p: ParsedRow, get) -> None:
        errors = p.errors
        p.name = _ident(get(COL_NAME))
        if not p.name:
            errors.append(_("Name is required."))
        elif len(p.name) > 50:
            errors.append(_("The name is longer than 50 characters."))
        gender = _ident(get(COL_GENDER))
        if gender:
            p.gender = GENDERS.get(gender.upper(), "")
            if not p.gender:
                errors.append(_("Gender must be 男 or 女."))
        p.birth_date = self._date(get(COL_BIRTH), _("birth date"), errors, p=p)
        if p.birth_date and p.birth_date > self.today:
            errors.append(_("The birth date is in the future."))
        if self.has(COL_ETHNICITY) and self.allow_sensitive:
            value = _ident(get(COL_ETHNICITY))
            p.ethnicity = ethnicity.code_for(value) if value else ""
            if p.ethnicity is None:
                errors.append(_("Unknown ethnic group: %(value)s") % {"value": value[:20]})
        if self.has(COL_ID):
            self._read_id_number(p, get(COL_ID))
        if p.birth_month is not None:
            self._resolve_birth_month(p)
        if self.has(COL_PHONE):
            value = compact_identifier(_text(get(COL_PHONE)))
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

    def _read_place(self, p: ParsedRow, get) -> None:
        for column in ADDRESS_COLUMNS:
            if arrived_as_date(get(column)):
                p.errors.append(_address_date_error(column, get(column)))
        p.grid_code = _ident(get(COL_GRID))
        p.compound = _ident(get(COL_COMPOUND))
        p.building = _ident(get(COL_BUILDING))
        p.unit = _ident(get(COL_UNIT))
        p.door = _ident(get(COL_DOOR))
        for value, label in [
            (p.compound, COL_COMPOUND),
            (p.building, COL_BUILDING),
            (p.door, COL_DOOR),
        ]:
            if not value:
                p.errors.append(_("%(column)s is required.") % {"column": label})

    def _read_status(self, p: ParsedRow, get) -> None:
        errors = p.errors
        p.relation = _ident(get(COL_RELATION))[:20]
        residency = _ident(get(COL_RESIDENCY))
        p.residency = RESIDENCY.get(residency, "") if residency else ""
        if residency and not p.residency:
            errors.append(_("人口类型 must be 户籍, 常住 or 流动."))
        p.political = _ident(get(COL_POLITICAL))[:20]
        if self.has(COL_TAGS) and self.allow_sensitive:
            names = [n for n in TAG_SEPARATORS.split(_ident(get(COL_TAGS))) if n]
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

    def _read_id_number(self, p: ParsedRow, raw) -> None:
        if arrived_as_number(raw):
            p.errors.append(
                _(
                    "The ID number is stored as a number, and spreadsheets keep only 15 "
                    "significant digits of a number: its last digits are lost. Format the "
                    "身份证号 column as Text, type or paste the full numbers again, and "
                    "import the file again."
                )
            )
            p.id_refused = True
            return
        value = compact_identifier(_text(raw))
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
            p.id_refused = True
            return
        mismatch = check_id_number_matches(
            p.id_number, birth_date=p.birth_date, gender=p.gender or None
        )
        p.errors.extend(e.messages[0] for e in mismatch.values())
        if not p.birth_date:
            p.birth_date = birth_date_from_id(p.id_number)

    @staticmethod
    def _resolve_birth_month(p: ParsedRow) -> None:
        """A birth date of year and month only takes its day from the ID number, when the
        number's year and month agree; without an ID number it is refused."""
        month = p.birth_month
        if not p.id_number:
            if p.id_refused:
                return  # the ID number's own error says enough
            p.errors.append(
                _(
                    "The birth date %(value)s has a year and month but no day: give the full "
                    "date (1960-03-01) or the ID number, which holds it."
                )
                % {"value": month.text}
            )
            return
        born = birth_date_from_id(p.id_number)
        if born.year != month.year or born.month not in month.months:
            p.errors.append(_("The birth date does not match the ID number."))

    @staticmethod
    def _date(value, label, errors, *, p: ParsedRow | None = None) -> dt.date | None:
        try:
            date = read_date(value)
        except NotADate:
            errors.append(_("The %(label)s is not a date (use 2024-05-01).") % {"label": label})
            return None
        if isinstance(date, MonthOnly):
            if p is not None:  # a birth date: the ID number may give the day
                p.birth_month = date
                return None
            errors.append(
                _("The %(label)s %(value)s has a year and month but no day: give the full date.")
                % {"label": label, "value": date.text}
            )
            return None
        return date
