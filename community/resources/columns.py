"""The ledger's columns and the cell values they hold (a data format: not translated)."""

import re

from community.models import Resident

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
# Hidden columns the ledger reader adds: the row's number in the spreadsheet, and a problem
# the reader found in the row's layout (a merge across columns).
COL_ROW = "_row"
COL_PROBLEM = "_problem"
HIDDEN_COLUMNS = (COL_ROW, COL_PROBLEM)

REQUIRED_COLUMNS = [COL_NAME, COL_COMPOUND, COL_BUILDING, COL_DOOR]
# Columns whose values name a place: a spreadsheet program may have turned them into dates.
ADDRESS_COLUMNS = [COL_BUILDING, COL_UNIT, COL_DOOR]
SENSITIVE_COLUMNS = [COL_ETHNICITY, COL_TAGS]
GENDERS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}
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
