"""Ledgers as offices keep them, in files written by LibreOffice (tests/fixtures/spreadsheets,
made by tools/make_spreadsheet_fixtures.py): each quirk is read correctly or refused with a
specific message, through the admin's import screens as a staff member: upload, preview,
confirm, records."""

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import Household, Resident
from community.resources import write_xlsx

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
IMPORT = "/admin/community/resident/import/"
PROCESS = "/admin/community/resident/process_import/"
ZH = {"accept-language": "zh-hans"}
# The fictional people every fixture holds (tools/make_spreadsheet_fixtures.py).
WANG, LI = "659004196003010119", "659004196208090220"
ZHAO, SUN = "659004198810050319", "659004199001200422"
PEOPLE = {"王建国": WANG, "李秀英": LI, "赵小军": ZHAO, "孙丽": SUN}


def _upload(client, name: str, data: bytes | None = None):
    data = (FILES / name).read_bytes() if data is None else data
    response = client.post(
        IMPORT, {"format": "0", "import_file": SimpleUploadedFile(name, data)}, headers=ZH
    )
    assert response.status_code == 200
    return response, response.content.decode()


def _confirm(client, response):
    confirm = response.context["confirm_form"]
    assert confirm is not None, "the preview offers no confirmation"
    done = client.post(PROCESS, {**confirm.initial, "format": "0"}, headers=ZH)
    assert done.status_code == 302
    return done


class _Page(str):
    """A page's text with full-width punctuation folded (NFKC), so that the expected
    phrases below can be written with either kind of comma and colon."""

    def __contains__(self, part):
        return str.__contains__(self, unicodedata.normalize("NFKC", part))


def _text(html: str) -> _Page:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return _Page(unicodedata.normalize("NFKC", text))


def _import(client, registry, name: str):
    client.force_login(registry.staff)
    response, html = _upload(client, name)
    assert not Resident.objects.filter(name__in=PEOPLE).exists()  # a preview writes nothing
    _confirm(client, response)
    return _text(html)


def _imported() -> dict[str, Resident]:
    residents = Resident.objects.filter(name__in=PEOPLE).select_related(
        "household__building__compound", "household__unit"
    )
    return {r.name: r for r in residents}


def _assert_everyone_imported() -> dict[str, Resident]:
    people = _imported()
    assert sorted(people) == sorted(PEOPLE)
    for name, resident in people.items():
        assert resident.id_number == PEOPLE[name]
        assert resident.household.building.compound.name == "星光花苑二期"
        assert resident.household.building.number == "3号楼"
        assert resident.household.unit.number == "1单元"
    assert people["王建国"].household.door_number == "101"
    assert people["李秀英"].household == people["王建国"].household
    assert people["孙丽"].household == people["赵小军"].household
    assert people["赵小军"].household.door_number == "102"
    return people


def _refused(client, registry, name: str) -> str:
    client.force_login(registry.staff)
    response, html = _upload(client, name)
    assert response.context.get("confirm_form") is None
    assert not Resident.objects.filter(name__in=PEOPLE).exists()
    return _text(html)


# -- headers ----------------------------------------------------------------------------------


def test_header_synonyms_are_read_and_unknown_columns_named(client, registry):
    text = _import(client, registry, "synonyms.xlsx")
    assert "列“公民身份号码”按 身份证号 读取" in text
    assert "列“手机号码”按 联系电话 读取" in text
    assert "未导入的列(不属于台账): 序号、年龄" in text
    people = _assert_everyone_imported()
    assert people["王建国"].phone == "13900001111"
    assert people["赵小军"].phone == "13800002222"


def test_a_column_whose_values_would_be_lost_refuses_the_file(client, registry):
    text = _refused(client, registry, "lost_column.xlsx")
    assert "列“户主身份证号码”看起来是 身份证号" in text
    assert "其数据会丢失" in text


def test_title_and_reporting_unit_rows_above_the_header_are_skipped(client, registry):
    text = _import(client, registry, "title_rows.xlsx")
    assert "工作表“Sheet1”,第 3 行作为表头" in text
    _assert_everyone_imported()


def test_a_two_level_header_with_merged_cells_is_read(client, registry):
    text = _import(client, registry, "two_level_header.xlsx")
    assert "第 3 行作为表头" in text
    people = _assert_everyone_imported()
    assert people["王建国"].phone == "13900001111"


def test_an_instructions_sheet_before_the_data_is_skipped_and_named(client, registry):
    text = _import(client, registry, "instructions_sheet.xlsx")
    assert "工作表“居民信息”" in text
    assert "未导入的工作表: 填表说明" in text
    _assert_everyone_imported()


# -- values a spreadsheet program changed -------------------------------------------------------


def test_id_numbers_stored_as_numbers_are_refused_with_the_fix(client, registry):
    text = _refused(client, registry, "numeric_id.xlsx")
    for row in (2, 3, 4, 5):
        assert f"第{row}行:身份证号以数字格式保存" in text
    assert "只保留 15 位有效数字" in text
    assert "设置为“文本”格式" in text
    assert "校验位" not in text  # not the misleading check-character message


def test_address_parts_turned_into_dates_are_refused(client, registry):
    text = _refused(client, registry, "door_dates.xlsx")
    assert re.search(r"第2行:单元被电子表格程序转换成了日期\(20\d\d-01-01\)", text)
    assert "将单元列设置为“文本”格式" in text


def test_full_width_digits_are_folded_and_match_the_ascii_record(client, registry):
    _import(client, registry, "merged_household.xlsx")
    before = Resident.objects.count(), Household.objects.count()
    response, html = _upload(client, "fullwidth.xlsx")
    assert "4 行与现有记录相同,不作改动" in _text(html)
    _confirm(client, response)
    assert (Resident.objects.count(), Household.objects.count()) == before
    _assert_everyone_imported()


def test_serial_number_dates_are_read_as_dates(client, registry):
    _import(client, registry, "serial_dates.xlsx")
    people = _imported()
    assert people["王建国"].birth_date == dt.date(1960, 3, 1)
    assert people["李秀英"].birth_date == dt.date(1962, 8, 9)
    assert people["王建国"].moved_in == dt.date(2014, 1, 1)


def test_year_and_month_birth_dates_take_the_day_from_the_id_number(client, registry):
    _import(client, registry, "month_dates.xlsx")
    people = _imported()
    assert people["王建国"].birth_date == dt.date(1960, 3, 1)  # "1960.03"
    assert people["李秀英"].birth_date == dt.date(1962, 8, 9)  # "1962年8月"
    assert people["赵小军"].birth_date == dt.date(1988, 10, 5)  # the number 1988.1 (= .10)
    assert people["孙丽"].birth_date == dt.date(1990, 1, 20)  # the number 1990.01


def test_year_and_month_without_an_id_number_or_disagreeing_is_refused(client, registry):
    headers = ["姓名", "性别", "身份证号", "出生年月", "网格", "小区", "楼栋", "门牌号"]
    rows = [
        ["王建国", "男", "", "1960年3月", "A", "星光花苑二期", "3号楼", "101"],
        ["李秀英", "女", LI, "1962.09", "A", "星光花苑二期", "3号楼", "101"],
    ]
    client.force_login(registry.staff)
    response, html = _upload(client, "m.xlsx", write_xlsx(headers, rows))
    text = _text(html)
    assert "第2行:出生日期 1960年3月 只有年月没有日" in text
    assert "第3行:出生日期与身份证号不符" in text
    assert response.context.get("confirm_form") is None


def test_male_and_female_spelled_out_are_read(client, registry):
    _import(client, registry, "gender_words.xlsx")
    people = _imported()
    assert people["王建国"].gender == "M" and people["孙丽"].gender == "F"


def test_merged_address_cells_fill_each_member_of_the_household(client, registry):
    text = _import(client, registry, "merged_household.xlsx")
    assert "网格、小区、楼栋、单元、门牌号,第 2–3 行:合并单元格" in text
    _assert_everyone_imported()


def test_totals_and_signature_rows_are_skipped_and_named(client, registry):
    text = _import(client, registry, "totals_row.xlsx")
    assert "第 6 行未导入:合计行" in text
    assert "第 7 行未导入:表格下方的签名或说明行" in text
    _assert_everyone_imported()


def test_hidden_rows_are_imported_and_reported(client, registry):
    text = _import(client, registry, "hidden_rows.xlsx")
    assert "隐藏的行,与其他行一样导入" in text
    assert re.search(r"隐藏的行[^<]*: 3\b", text)
    _assert_everyone_imported()


# -- file formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ledger.xls", "ledger.ods"])
def test_xls_and_ods_files_are_read(client, registry, name):
    text = _import(client, registry, name)
    assert "第 2–3 行:合并单元格" in text
    assert re.search(r"隐藏的行[^<]*: 5\b", text)
    _assert_everyone_imported()


def test_a_file_that_is_no_spreadsheet_is_refused_in_words(client, registry):
    client.force_login(registry.staff)
    csv = "姓名,身份证号\n王建国,659004196003010119\n".encode()
    response, html = _upload(client, "ledger.csv", csv)
    assert "不是导入功能能读取的电子表格" in _text(html)
    assert "Error" not in html and "KeyError" not in html


# -- the preview --------------------------------------------------------------------------------


def test_preview_lists_new_rows_and_changed_values_masked(client, registry):
    _import(client, registry, "merged_household.xlsx")
    wang = Resident.objects.get(name="王建国")
    wang.set_phone("13711112222")
    wang.notes = ""
    wang.save()
    Resident.objects.filter(name="孙丽").delete()
    response, html = _upload(client, "hidden_rows.xlsx")
    text = _text(html)
    assert "将新增 1 位居民" in text
    new = html[html.index('id="import-new"') :]
    assert "孙丽" in new[: new.index("</table>")]
    assert "659***********0422" in text  # masked
    assert "将修改 1 位居民" in text
    changed = _text(html[html.index('id="import-changed"') :])
    assert "王建国 联系电话 137****2222 139****1111" in changed
    assert "2 行与现有记录相同,不作改动" in text
    for number in [*PEOPLE.values(), "13900001111", "13711112222"]:
        assert number not in html
    assert Resident.objects.get(name="王建国").phone == "13711112222"  # nothing written yet
    _confirm(client, response)
    assert Resident.objects.get(name="王建国").phone == "13900001111"
    assert Resident.objects.filter(name="孙丽").exists()


def test_the_import_command_reads_ods_and_refuses_other_files_in_words(registry, tmp_path):
    from django.core.management import CommandError, call_command

    args = ["--community", "hongxing", "--user", registry.staff.username]
    call_command("import_residents", str(FILES / "ledger.ods"), *args)
    _assert_everyone_imported()
    path = tmp_path / "ledger.csv"
    path.write_text("姓名,身份证号\n王建国,659004196003010119\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"\.xls\b.*CSV"):
        call_command("import_residents", str(path), *args)
