"""The administrative division codes (GB/T 2260) an ID number's first six digits may carry.

The codes are data: community/data/gb2260.tsv, current and historical codes (a person keeps the
code of the place and year of first registration, so a code withdrawn in 2009 is still valid on
an ID number). The file names its sources and their dates; tools/build_gb2260.py rebuilds it.
"""

from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gb2260.tsv"


@cache
def division_codes() -> dict[str, tuple[str, str]]:
    """{code: (name, last year in use or "")}, read once per process."""
    codes: dict[str, tuple[str, str]] = {}
    with DATA_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            code, name, ended = line.rstrip("\n").split("\t")
            codes[code] = (name, ended)
    return codes


def is_division_code(code: str) -> bool:
    """Whether the six digits are a GB/T 2260 code, in use today or in the past."""
    return code in division_codes()
