"""One normal form for the text that identifies a person or a place.

Residents' ID numbers, phones, names and addresses arrive typed on Chinese keyboards and IMEs:
full-width digits and letters (１１０１０５…, Ｘ), ideographic spaces (U+3000), no-break
spaces, compatibility ideographs. Stored as typed, "１０１" and "101" would be two door
numbers, and the same ID number typed twice would make two residents. Unicode NFKC folds
every such compatibility character into its ordinary form (full-width 1 -> 1, Ｘ -> X,
U+3000 -> space) and leaves ordinary Chinese text unchanged.

- normalize_identifier(): NFKC, whitespace runs collapsed to one space, ends trimmed. For
  names, compounds, buildings, units, door numbers, grid codes: anything compared for
  equality.
- compact_identifier(): NFKC with every space removed. For numbers people group with
  spaces (ID numbers, phones) before their own validator reads them.
- normalize_header(): a spreadsheet column header, compared with the known headers: NFKC,
  no spaces or line breaks, required-field marks (*, ※) and parenthesised hints removed.

Free text (notes, descriptions) is not normalised: NFKC would also turn the full-width
punctuation of Chinese prose (,:()) into ASCII.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_HEADER_HINT = re.compile(r"[((][^))]*[))]")
_HEADER_MARKS = re.compile(r"[*※★☆::]")


def _text(value) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value))


def normalize_identifier(value) -> str:
    """ "　１０１　室" -> "101 室"; None -> ""."""
    return _SPACES.sub(" ", _text(value)).strip()


def compact_identifier(value) -> str:
    """ "６５０１ ０２…" -> "650102…": NFKC, with every space removed."""
    return _SPACES.sub("", _text(value))


def normalize_header(value) -> str:
    """ "*公民身份号码\\n(18位)" -> "公民身份号码"."""
    text = _HEADER_HINT.sub("", _text(value))
    return _SPACES.sub("", _HEADER_MARKS.sub("", text))
