"""The 56 ethnic groups of China with their GB/T 3304 codes.

Stored as the two-digit code; shown in the user's language. The Chinese names are also the
spellings the Excel import accepts (with or without the trailing 族).
"""

from django.utils.translation import pgettext_lazy

# (code, English name, Chinese name)
GROUPS: list[tuple[str, str, str]] = [
    ("01", "Han", "汉族"),
    ("02", "Mongol", "蒙古族"),
    ("03", "Hui", "回族"),
    ("04", "Tibetan", "藏族"),
    ("05", "Uyghur", "维吾尔族"),
    ("06", "Miao", "苗族"),
    ("07", "Yi", "彝族"),
    ("08", "Zhuang", "壮族"),
    ("09", "Bouyei", "布依族"),
    ("10", "Korean", "朝鲜族"),
    ("11", "Manchu", "满族"),
    ("12", "Dong", "侗族"),
    ("13", "Yao", "瑶族"),
    ("14", "Bai", "白族"),
    ("15", "Tujia", "土家族"),
    ("16", "Hani", "哈尼族"),
    ("17", "Kazakh", "哈萨克族"),
    ("18", "Dai", "傣族"),
    ("19", "Li", "黎族"),
    ("20", "Lisu", "傈僳族"),
    ("21", "Va", "佤族"),
    ("22", "She", "畲族"),
    ("23", "Gaoshan", "高山族"),
    ("24", "Lahu", "拉祜族"),
    ("25", "Sui", "水族"),
    ("26", "Dongxiang", "东乡族"),
    ("27", "Nakhi", "纳西族"),
    ("28", "Jingpo", "景颇族"),
    ("29", "Kyrgyz", "柯尔克孜族"),
    ("30", "Tu", "土族"),
    ("31", "Daur", "达斡尔族"),
    ("32", "Mulao", "仫佬族"),
    ("33", "Qiang", "羌族"),
    ("34", "Blang", "布朗族"),
    ("35", "Salar", "撒拉族"),
    ("36", "Maonan", "毛南族"),
    ("37", "Gelao", "仡佬族"),
    ("38", "Xibe", "锡伯族"),
    ("39", "Achang", "阿昌族"),
    ("40", "Pumi", "普米族"),
    ("41", "Tajik", "塔吉克族"),
    ("42", "Nu", "怒族"),
    ("43", "Uzbek", "乌孜别克族"),
    ("44", "Russian", "俄罗斯族"),
    ("45", "Evenki", "鄂温克族"),
    ("46", "De'ang", "德昂族"),
    ("47", "Bonan", "保安族"),
    ("48", "Yugur", "裕固族"),
    ("49", "Gin", "京族"),
    ("50", "Tatar", "塔塔尔族"),
    ("51", "Derung", "独龙族"),
    ("52", "Oroqen", "鄂伦春族"),
    ("53", "Hezhen", "赫哲族"),
    ("54", "Monba", "门巴族"),
    ("55", "Lhoba", "珞巴族"),
    ("56", "Jino", "基诺族"),
]

CHOICES = [(code, pgettext_lazy("ethnic group", english)) for code, english, _ in GROUPS]
CHINESE_NAMES = {code: chinese for code, _, chinese in GROUPS}


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, english, chinese in GROUPS:
        table[chinese] = code
        table[chinese.removesuffix("族")] = code
        table[english.lower()] = code
        table[code] = code
        table[str(int(code))] = code
    return table


LOOKUP = _lookup()


def code_for(value: str) -> str | None:
    """汉族 / 汉 / Han / 01 -> "01"; None when it names no group."""
    return LOOKUP.get(str(value).strip().lower()) if value else None
