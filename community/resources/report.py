"""What the preview shows before anything is written: how the file was read (sheet, header
row, columns recognised and ignored, merged, hidden and skipped rows) and each row that will
create or change a resident, with the changed values.

ID numbers and phones appear only masked (650***********1234, 139****1111), ethnicity only
to roles allowed to see it: the preview is a page like any other.
"""

from dataclasses import dataclass, field

from community import ethnicity
from community.resources import columns as c
from community.resources.layout import LayoutNotes

ADDRESS_LABEL = "住址"
# Model field -> the ledger's header, for the changed values (a data format: not translated).
FIELD_LABELS = {
    "household_id": ADDRESS_LABEL,
    "name": c.COL_NAME,
    "gender": c.COL_GENDER,
    "birth_date": c.COL_BIRTH,
    "ethnicity": c.COL_ETHNICITY,
    "id_number_masked": c.COL_ID,
    "phone_masked": c.COL_PHONE,
    "relation_to_head": c.COL_RELATION,
    "political_status": c.COL_POLITICAL,
    "residency_type": c.COL_RESIDENCY,
    "moved_in": c.COL_MOVED_IN,
    "moved_out": c.COL_MOVED_OUT,
    "notes": c.COL_NOTES,
}
HASHED = {"id_number_masked": "id_number_hash", "phone_masked": "phone_hash"}
NEW_ROW_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "id_number_masked",
    "phone_masked",
    "household_id",
    "relation_to_head",
    "residency_type",
]


@dataclass
class PreviewRow:
    row: int
    name: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (label, value): new rows
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


@dataclass
class ImportReport:
    layout: LayoutNotes | None = None
    renamed: list[tuple[str, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    new: list[PreviewRow] = field(default_factory=list)
    changed: list[PreviewRow] = field(default_factory=list)
    unchanged: int = 0

    @property
    def new_headers(self) -> list[str]:
        return [FIELD_LABELS[f] for f in NEW_ROW_FIELDS]


def shown(field_name: str, value, *, address_of) -> str:
    """A field's value as the preview prints it."""
    if value in (None, ""):
        return ""
    if field_name == "household_id":
        return address_of(value)
    if field_name == "gender":
        return c.GENDER_LABELS.get(value, value)
    if field_name == "residency_type":
        return c.RESIDENCY_LABELS.get(value, value)
    if field_name == "ethnicity":
        return ethnicity.CHINESE_NAMES.get(value, value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)[:60]


def describe(*, row: int, before, after, allow_sensitive: bool, address_of) -> PreviewRow:
    """A new row (before is None) with its main values, or a changed row with each change."""
    preview = PreviewRow(row=row, name=after["name"])
    if before is None:
        preview.values = [
            (FIELD_LABELS[f], shown(f, after[f], address_of=address_of)) for f in NEW_ROW_FIELDS
        ]
        return preview
    for name, label in FIELD_LABELS.items():
        if name == "ethnicity" and not allow_sensitive:
            continue
        hashed = HASHED.get(name)  # a new number with the same masked digits still shows
        if before.get(name) != after.get(name) or (
            hashed and before.get(hashed) != after.get(hashed)
        ):
            preview.changes.append(
                (
                    label,
                    shown(name, before.get(name), address_of=address_of),
                    shown(name, after.get(name), address_of=address_of),
                )
            )
    return preview
