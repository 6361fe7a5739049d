"""Make the spreadsheet files the ledger-import tests read (tests/fixtures/spreadsheets/).

    .venv/bin/python tools/make_spreadsheet_fixtures.py [--out DIR] [--keep-sources]

Needs LibreOffice (`soffice`, e.g. Debian's libreoffice-calc-nogui); CI does not: it reads
the committed files. Each file shows one way real ledgers differ from the import's own
export, and is written by LibreOffice itself, so the tests read what a spreadsheet program
writes, not what openpyxl writes:

- most sources are flat OpenDocument (.fods) written here, with typed cells (text, number,
  date), merged cells, hidden rows and several sheets, converted by
  `soffice --headless --convert-to xlsx|xls|ods`;
- numeric_id and door_dates start as CSV opened with LibreOffice's "detect special numbers"
  (what typing into a General cell does): LibreOffice itself turns the 18-digit ID number
  into a 15-significant-digit number and 1-1 into a date.

All people are fictional; ID numbers are generated with a valid check character.
Run it again after changing a case; commit the files it writes.
"""

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "spreadsheets"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CSV_FILTER = "CSV:44,34,76,1,,2052,false,true,true"  # UTF-8, zh-CN, detect special numbers


def id_number(born: dt.date, sequence: int, region: str = "659004") -> str:
    """A valid GB 11643 number (sequence odd for men, even for women)."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


# -- a tiny flat-ODS writer -------------------------------------------------------------------


class Cell:
    """A typed cell: text (default), number or date; rows/cols > 1 merge from here."""

    def __init__(self, value, kind="text", rows=1, cols=1):
        self.value, self.kind, self.rows, self.cols = value, kind, rows, cols

    def xml(self) -> str:
        span = ""
        if self.rows > 1:
            span += f' table:number-rows-spanned="{self.rows}"'
        if self.cols > 1:
            span += f' table:number-columns-spanned="{self.cols}"'
        if self.value is None:
            return f"<table:table-cell{span}/>"
        if self.kind == "number":
            return (
                f'<table:table-cell office:value-type="float" office:value="{self.value}"{span}>'
                f"<text:p>{self.value}</text:p></table:table-cell>"
            )
        if self.kind == "date":
            return (
                f'<table:table-cell office:value-type="date" '
                f'office:date-value="{self.value.isoformat()}"{span}>'
                f"<text:p>{self.value.isoformat()}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"{span}>'
            f"<text:p>{escape(str(self.value))}</text:p></table:table-cell>"
        )


COVERED = object()  # the part of a merged range below or right of its first cell


def _row_xml(cells, hidden: bool) -> str:
    visibility = ' table:visibility="collapse"' if hidden else ""
    parts = []
    for cell in cells:
        if cell is COVERED:
            parts.append("<table:covered-table-cell/>")
        else:
            parts.append((cell if isinstance(cell, Cell) else Cell(cell)).xml())
    return f"<table:table-row{visibility}>{''.join(parts)}</table:table-row>"


def fods(sheets) -> str:
    """sheets: [(name, rows, hidden_row_numbers)]; rows are lists of values/Cells/COVERED."""
    tables = []
    for name, rows, hidden in sheets:
        body = "".join(_row_xml(r, n in hidden) for n, r in enumerate(rows, start=1))
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document>\n"
    )


# -- the cases --------------------------------------------------------------------------------

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "网格",
    "小区",
    "楼栋",
    "单元",
    "门牌号",
    "与户主关系",
]
WANG = id_number(dt.date(1960, 3, 1), 11)
LI = id_number(dt.date(1962, 8, 9), 22)
ZHAO = id_number(dt.date(1988, 10, 5), 31)
SUN = id_number(dt.date(1990, 1, 20), 42)


def _people(building="3号楼", unit="1单元"):
    return [
        ["王建国", "男", WANG, "13900001111", "A", "星光花苑二期", building, unit, "101", "户主"],
        ["李秀英", "女", LI, "", "A", "星光花苑二期", building, unit, "101", "配偶"],
        ["赵小军", "男", ZHAO, "13800002222", "A", "星光花苑二期", building, unit, "102", "户主"],
        ["孙丽", "女", SUN, "", "A", "星光花苑二期", building, unit, "102", "配偶"],
    ]


def _fods_cases() -> dict[str, tuple[str, list]]:
    """name -> (target format, sheets)."""
    people = _people()
    synonym_headers = ["序号", "姓名", "性别", "公民身份号码", "手机号码", "所属网格", "小区名称",
                       "楼号", "单元号", "房号", "与户主关系", "年龄"]  # fmt: skip
    synonyms = [synonym_headers] + [
        [n, *p[:9], p[9], Cell(60 - n, "number")] for n, p in enumerate(people, 1)
    ]
    title = [
        [Cell("红星社区居民信息登记表", cols=10), *[COVERED] * 9],
        ["填报单位:红星社区居委会", None, None, None, None, None, "填报日期:2024年12月"],
        HEADERS,
        *people,
    ]
    two_level = [
        [Cell("红星社区居民信息登记表", cols=10), *[COVERED] * 9],
        [Cell("姓名", rows=2), Cell("性别", rows=2), Cell("身份证号码", rows=2),
         Cell("手机号码", rows=2), Cell("网格", rows=2), Cell("住址", cols=4), COVERED, COVERED,
         COVERED, Cell("与户主关系", rows=2)],
        [COVERED] * 5 + ["小区", "楼栋", "单元", "门牌号", COVERED],
        *people,
    ]  # fmt: skip
    merged = [HEADERS]
    for start in (0, 2):  # each household's address in merged cells down its two rows
        first, second = people[start], people[start + 1]
        merged.append([*first[:4], Cell("A", rows=2), Cell("星光花苑二期", rows=2),
                       Cell("3号楼", rows=2), Cell("1单元", rows=2), Cell(first[8], rows=2),
                       first[9]])  # fmt: skip
        merged.append([*second[:4], *[COVERED] * 5, second[9]])
    instructions = [
        ["填表说明"],
        ["1. 身份证号一列请设置为文本格式。"],
        ["2. 每位居民一行,同户居民门牌号相同。"],
    ]
    born = {WANG: dt.date(1960, 3, 1), LI: dt.date(1962, 8, 9)}
    serial = [["姓名", "身份证号", "出生日期", "迁入日期", "网格", "小区", "楼栋", "门牌号"]]
    for p in people[:2]:
        days = (born[p[2]] - dt.date(1899, 12, 30)).days  # what a date cell holds
        serial.append([p[0], p[2], Cell(days, "number"), Cell(41640, "number"), "A",
                       "星光花苑二期", "3号楼", "101"])  # fmt: skip
    months = [["姓名", "身份证号", "出生年月", "网格", "小区", "楼栋", "门牌号"],
              ["王建国", WANG, "1960.03", "A", "星光花苑二期", "3号楼", "101"],
              ["李秀英", LI, "1962年8月", "A", "星光花苑二期", "3号楼", "101"],
              ["赵小军", ZHAO, Cell(1988.1, "number"), "A", "星光花苑二期", "3号楼", "102"],
              ["孙丽", SUN, Cell(1990.01, "number"), "A", "星光花苑二期", "3号楼", "102"],
              ]  # fmt: skip
    totals = [
        HEADERS,
        *people,
        ["合计", "4人"],
        ["制表人:张敏", None, None, None, None, "审核人:刘强"],
    ]
    genders = [HEADERS] + [[p[0], p[1] + "性", *p[2:]] for p in people]
    fullwidth = [HEADERS] + [
        [p[0], p[1], _wide(p[2]), _wide(p[3]), "A", p[5], p[6], p[7], _wide(p[8]), p[9]]
        for p in people
    ]
    lost = [["姓名", "户主身份证号码", "网格", "小区", "楼栋", "门牌号"],
            ["王建国", WANG, "A", "星光花苑二期", "3号楼", "101"]]  # fmt: skip
    return {
        "synonyms": ("xlsx", [("居民信息", synonyms, set())]),
        "title_rows": ("xlsx", [("Sheet1", title, set())]),
        "two_level_header": ("xlsx", [("Sheet1", two_level, set())]),
        "merged_household": ("xlsx", [("Sheet1", merged, set())]),
        "instructions_sheet": (
            "xlsx",
            [("填表说明", instructions, set()), ("居民信息", [HEADERS, *people], set())],
        ),
        "serial_dates": ("xlsx", [("Sheet1", serial, set())]),
        "month_dates": ("xlsx", [("Sheet1", months, set())]),
        "totals_row": ("xlsx", [("Sheet1", totals, set())]),
        "gender_words": ("xlsx", [("Sheet1", genders, set())]),
        "hidden_rows": ("xlsx", [("Sheet1", [HEADERS, *people], {3})]),
        "fullwidth": ("xlsx", [("Sheet1", fullwidth, set())]),
        "lost_column": ("xlsx", [("Sheet1", lost, set())]),
        "ledger_xls": ("xls", [("Sheet1", merged, {5})]),
        "ledger_ods": ("ods", [("Sheet1", merged, {5})]),
    }


def _wide(text: str) -> str:
    """Full-width digits and letters, as a Chinese IME types them (１０１, Ｘ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _csv_cases() -> dict[str, str]:
    people = _people()
    rows = [",".join(HEADERS)] + [",".join(p) for p in people]
    doors = [",".join(HEADERS)] + [
        ",".join([*p[:7], "1-1" if n < 2 else "2-3", "101", p[9]]) for n, p in enumerate(people)
    ]
    return {"numeric_id": "\n".join(rows) + "\n", "door_dates": "\n".join(doors) + "\n"}


def _convert(soffice, profile, sources, fmt, outdir, infilter=None) -> None:
    command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--keep-sources", action="store_true")
    args = parser.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice (soffice) is not installed.", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work, profile = Path(tmp) / "src", Path(tmp) / "profile"
        work.mkdir()
        by_format: dict[str, list[Path]] = {}
        for name, (fmt, sheets) in _fods_cases().items():
            source = work / f"{name}.fods"
            source.write_text(fods(sheets), encoding="utf-8")
            by_format.setdefault(fmt, []).append(source)
        for fmt, sources in by_format.items():
            _convert(soffice, profile, sources, fmt, work)
        csv_sources = []
        for name, text in _csv_cases().items():
            source = work / f"{name}.csv"
            source.write_text(text, encoding="utf-8")
            csv_sources.append(source)
        _convert(soffice, profile, csv_sources, "xlsx", work, infilter=CSV_FILTER)
        for name, (fmt, _sheets) in _fods_cases().items():
            target = args.out / f"{name.removesuffix('_' + fmt)}.{fmt}"
            shutil.copy(work / f"{name}.{fmt}", target)
        for name in _csv_cases():
            shutil.copy(work / f"{name}.xlsx", args.out / f"{name}.xlsx")
        if args.keep_sources:
            for source in [*work.glob("*.fods"), *work.glob("*.csv")]:
                shutil.copy(source, args.out / source.name)
    for path in sorted(args.out.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
