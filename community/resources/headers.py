"""The headers offices give the ledger's columns, mapped to the import's own (a data format:
not translated).

Community offices copy their ledgers from district templates, the census (公民身份号码),
the police household register and older systems, so one column has many names: 身份证号,
身份证号码, 公民身份号码, 证件号码 are all the ID number. Headers are compared after
normalize_header() (NFKC, no spaces, no * marks, no parenthesised hints such as
"(18位)"). A header that is none of these is ignored and named in the preview; one that
looks like it holds an ID number, a phone or an address refuses the file instead, since
its values would be silently lost.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from community.normalize import normalize_header
from community.resources import columns as c

SYNONYMS: dict[str, tuple[str, ...]] = {
    c.COL_PK: ("编号", "记录编号", "系统编号"),
    c.COL_NAME: ("姓名", "居民姓名", "人员姓名", "成员姓名", "家庭成员姓名", "名字"),
    c.COL_GENDER: ("性别",),
    c.COL_BIRTH: ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"),
    c.COL_ETHNICITY: ("民族", "族别"),
    c.COL_ID: (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号",
        "公民身份证号码",
        "居民身份证号",
        "居民身份证号码",
        "身份证",
        "身份证件号码",
        "证件号码",
        "证件号",
        "身份号码",
    ),
    c.COL_PHONE: (
        "联系电话",
        "手机号码",
        "手机号",
        "手机",
        "电话",
        "电话号码",
        "联系方式",
        "移动电话",
        "联系电话手机",
    ),
    c.COL_GRID: ("网格", "所属网格", "网格编号", "网格名称", "网格号"),
    c.COL_COMPOUND: ("小区", "小区名称", "所属小区", "居住小区", "院落", "小区院落"),
    c.COL_BUILDING: ("楼栋", "楼栋号", "楼号", "楼幢", "幢号", "栋号", "楼", "栋", "幢"),
    c.COL_UNIT: ("单元", "单元号"),
    c.COL_DOOR: ("门牌号", "门牌", "门牌号码", "房号", "房间号", "室号", "户室号", "房屋号"),
    c.COL_RELATION: ("与户主关系", "与户主的关系", "户主关系", "关系"),
    c.COL_RESIDENCY: ("人口类型", "人口类别", "人口性质"),
    c.COL_POLITICAL: ("政治面貌",),
    c.COL_TAGS: ("人员类别", "人员标签", "特殊人群", "重点人群", "关爱类别"),
    c.COL_MOVED_IN: ("迁入日期", "迁入时间", "入住日期", "入住时间"),
    c.COL_MOVED_OUT: ("迁出日期", "迁出时间"),
    c.COL_NOTES: ("备注", "说明"),
}
CANONICAL = {normalize_header(s): column for column, names in SYNONYMS.items() for s in names}

# An unknown header containing one of these words holds that column's values: when the file
# has no column the import reads for it, they would be dropped quietly (户主身份证号 beside
# a 身份证号 column is the head's number again, and is only ignored).
GUARDED_WORDS = {
    "身份证": c.COL_ID,
    "证件号": c.COL_ID,
    "身份号": c.COL_ID,
    "手机": c.COL_PHONE,
    "电话": c.COL_PHONE,
    "姓名": c.COL_NAME,
    "小区": c.COL_COMPOUND,
    "门牌": c.COL_DOOR,
    "房号": c.COL_DOOR,
}


def canonical(header) -> str | None:
    """The import's column for a header, or None when it is not one of the ledger's."""
    return CANONICAL.get(normalize_header(header))


def header_score(cells) -> int:
    """How many different ledger columns a row of cells names (to find the header row)."""
    return len({canonical(v) for v in cells if isinstance(v, str)} - {None})


@dataclass
class HeaderMap:
    """The file's headers, read: canonical names in file order ("" for ignored columns)."""

    columns: list[str]
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (file's header, column)
    ignored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def map_headers(headers) -> HeaderMap:
    """Map a file's headers to the import's columns; problems refuse the file."""
    result = HeaderMap(columns=[])
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for raw in headers:
        text = "" if raw is None else str(raw).strip()
        column = canonical(text) if text else None
        if column is None:
            result.columns.append("")
            if text and text != c.COL_ROW:
                unknown.append(text[:30])
            continue
        if column in seen:
            result.problems.append(
                _("The columns “%(first)s” and “%(second)s” both hold %(column)s: keep one.")
                % {"first": seen[column], "second": text[:30], "column": column}
            )
        seen[column] = text[:30]
        result.columns.append(column)
        if text != column:
            result.renamed.append((text[:30], column))
    for text in unknown:
        guarded = next((col for w, col in GUARDED_WORDS.items() if w in text), None)
        if guarded and guarded not in seen:
            result.problems.append(
                _(
                    "The column “%(header)s” looks like %(column)s but is not a column the "
                    "import reads, so its values would be lost: rename it to %(column)s or "
                    "delete the column."
                )
                % {"header": text, "column": guarded}
            )
        else:
            result.ignored.append(text)
    return result
