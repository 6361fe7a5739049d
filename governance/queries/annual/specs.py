"""How an annual figure is defined, and the evaluator that turns a definition into figures.

A definition says what the figure is (its key and label), how its value is computed from the
year's records (a small callable over governance.queries.annual.records.YearRecords) and how the
URL of the records behind it is built. Links are declarative: the changelist filters name the
year's bounds with the markers START, END (dates) and START_AT, END_AT (aware timestamps), filled
in when the figure is evaluated.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from governance.queries.links import admin_url, day, ledger_url, moment


@dataclass
class Figure:
    """One figure of the summary and the records behind it.

    counts_records: the figure is the number of rows the URL lists (tests check this).
    """

    key: str
    label: str
    value: int | Decimal | float | None
    url: str = ""
    unit: str = ""
    counts_records: bool = False


def figure(key, label, value, url, unit="", counts_records=False) -> Figure:
    """A figure; it counts records only if there is a list of records to count."""
    return Figure(key, label, value, url, str(unit), counts_records and bool(url))


# --- links -------------------------------------------------------------------------------------

START, END, START_AT, END_AT = "<start>", "<end>", "<start-at>", "<end-at>"
_BOUNDS = {
    START: lambda records: day(records.start),
    END: lambda records: day(records.end),
    START_AT: lambda records: moment(records.start),
    END_AT: lambda records: moment(records.end),
}


@dataclass(frozen=True)
class Link:
    """An admin page, with its changelist filters (the year's bounds as markers)."""

    name: str
    params: tuple = ()

    def __call__(self, records, star=None) -> str:
        params = {
            key: _BOUNDS[value](records) if value in _BOUNDS else value
            for key, value in self.params
        }
        return admin_url(self.name, params)


def link(name: str, **params) -> Link:
    return Link(name, tuple(params.items()))


def between(name: str, field: str, *, at: bool = False, **params) -> Link:
    """The records of an admin changelist whose `field` lies in the year, then other filters."""
    start, end = (START_AT, END_AT) if at else (START, END)
    return link(name, **{f"{field}__gte": start, f"{field}__lt": end}, **params)


# --- values ------------------------------------------------------------------------------------


def take(source: str, name: str | None = None) -> Callable:
    """The value of a source (a number), or one of its fields (a dict key or an attribute)."""

    def value(records, star=None):
        data = records[source]
        if name is None:
            return data
        return data[name] if isinstance(data, dict) else getattr(data, name)

    return value


# --- definitions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class One:
    """A single figure: a value and the link to its records."""

    key: str
    label: object
    value: Callable
    url: Callable
    unit: object = ""
    counts_records: bool = False

    def evaluate(self, records, star) -> list[Figure]:
        value, url = self.value(records, star), self.url(records, star)
        return [figure(self.key, self.label, value, url, self.unit, self.counts_records)]


@dataclass(frozen=True)
class Ledger:
    """The star's work-log entries of the year (of one kind, or all): their number, or the sum
    of one of their figures (participants, households reached, brochures, online posts)."""

    key: str
    label: object
    kind: str = ""
    total: str = ""

    def evaluate(self, records, star) -> list[Figure]:
        value = records.ledger_total(star, self.total or "count", self.kind)
        url = ledger_url(star.id, start=records.start, end=records.end, kind=self.kind)
        return [figure(self.key, self.label, value, url, counts_records=not self.total)]


@dataclass(frozen=True)
class PerRow:
    """A figure of each row of a source; every part is a callable of (records, row)."""

    key: Callable
    label: Callable
    value: Callable
    url: Callable
    unit: object = ""
    counts_records: bool = False


@dataclass(frozen=True)
class Each:
    """The figures of each row of a source (a training course, a project, a kind of honour)."""

    rows: Callable
    figures: tuple[PerRow, ...]

    def evaluate(self, records, star) -> list[Figure]:
        return [
            figure(
                spec.key(records, row),
                spec.label(records, row),
                spec.value(records, row),
                spec.url(records, row),
                spec.unit,
                spec.counts_records,
            )
            for row in self.rows(records)
            for spec in self.figures
        ]


def evaluate(definitions: Iterable, records, star=None) -> list[Figure]:
    """The figures of the definitions, in their order."""
    return [item for definition in definitions for item in definition.evaluate(records, star)]
