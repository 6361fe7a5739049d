"""The Excel ledger: per-row errors, all or nothing, places created, idempotent re-import,
and export then import round-trips."""

import datetime as dt

import pytest
from django.utils import translation

from community.models import Building, Household, Resident, ResidentTag, Unit
from community.resources import error_lines, write_xlsx
from community.services import import_resident_ledger
from privacy.models import AccessLog
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名", "性别", "出生日期", "民族", "身份证号", "联系电话", "网格", "小区", "楼栋", "单元",
    "门牌号", "与户主关系", "人口类型", "政治面貌", "人员类别", "备注",
]  # fmt: skip


def _row(name, id_number, *, building="3号楼", unit="1单元", door="101", grid="A", **extra):
    values = {
        "姓名": name,
        "性别": "",
        "出生日期": None,
        "民族": "汉族",
        "身份证号": id_number,
        "联系电话": "",
        "网格": grid,
        "小区": "星光花苑二期",
        "楼栋": building,
        "单元": unit,
        "门牌号": door,
        "与户主关系": "户主",
        "人口类型": "户籍",
        "政治面貌": "群众",
        "人员类别": "",
        "备注": "",
        **extra,
    }
    return [values[h] for h in HEADERS]


def _snapshot():
    return (
        sorted(Resident.objects.values_list("pk", "name", "household_id", "id_number_hash",
                                            "phone_hash", "ethnicity", "birth_date", "notes")),
        sorted(Household.objects.values_list("pk", "building_id", "unit_id", "door_number",
                                             "head_id")),
        sorted(ResidentTag.objects.values_list("resident_id", "tag_id")),
        Building.objects.count(),
        Unit.objects.count(),
    )  # fmt: skip


def _good_rows():
    return [
        _row("王建国", make_id_number(birth_date=dt.date(1960, 3, 1), gender="M"),
             联系电话="+86 139 0000 1111", 人员类别="空巢老人、低保"),
        _row("李秀英", make_id_number(birth_date=dt.date(1962, 8, 9), gender="F"),
             与户主关系="配偶", 民族="回族"),
        _row("阿依古丽", make_id_number(birth_date=dt.date(1990, 1, 20), gender="F"),
             building="4号楼", unit="", door="12", 民族="维吾尔", 与户主关系="户主"),
    ]  # fmt: skip


def test_good_file_creates_places_residents_tags_and_heads(registry):
    data = write_xlsx(HEADERS, _good_rows())
    result = import_resident_ledger(user=registry.staff, community=registry.community, data=data)
    assert error_lines(result) == []
    assert result.totals["new"] == 3
    wang = Resident.objects.get(name="王建国")
    assert wang.household.building.compound.name == "星光花苑二期"
    assert wang.household.building.grid == registry.grid_a
    assert wang.household.unit.number == "1单元"
    assert wang.phone == "13900001111" and wang.phone_masked == "139****1111"
    assert wang.gender == "M" and wang.birth_date == dt.date(1960, 3, 1)
    assert wang.household.head == wang
    assert sorted(t.tag.name for t in wang.tags.all()) == ["低保", "空巢老人"]
    ayi = Resident.objects.get(name="阿依古丽")
    assert ayi.household.unit is None and ayi.ethnicity == "05"
    assert Resident.objects.get(name="李秀英").household == wang.household
    entry = AccessLog.objects.get(action=AccessLog.Action.IMPORT)
    assert entry.record_count == 3 and entry.user == registry.staff


def test_importing_the_same_file_again_changes_nothing(registry):
    data = write_xlsx(HEADERS, _good_rows())
    import_resident_ledger(user=registry.staff, community=registry.community, data=data)
    before = _snapshot()
    result = import_resident_ledger(user=registry.staff, community=registry.community, data=data)
    assert error_lines(result) == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 3)
    assert _snapshot() == before


def test_bad_rows_are_all_reported_and_nothing_is_written(registry):
    before = _snapshot()
    good = _good_rows()
    bad_check = make_id_number()[:17] + "0"
    if bad_check == make_id_number()[:17]:
        bad_check = bad_check[:17] + "1"
    rows = [
        good[0],
        _row("坏校验", good[1][4][:17] + ("0" if good[1][4][17] != "0" else "1")),
        good[2],
        _row("", make_id_number()),
        _row("重复", good[0][4]),
        _row("坏电话", make_id_number(), 联系电话="12345"),
        _row("坏网格", make_id_number(), building="99号楼", grid="Z"),
        _row("坏性别", make_id_number(gender="M"), 性别="女"),
    ]
    data = write_xlsx(HEADERS, rows)
    with translation.override("zh-hans"):
        result = import_resident_ledger(
            user=registry.staff, community=registry.community, data=data
        )
        lines = error_lines(result)
    assert lines == [
        "第3行:身份证号校验位错误",
        "第5行:姓名不能为空",
        "第6行:身份证号与第2行重复",
        "第7行:手机号码应为11位数字,以13至19开头",
        "第8行:未知网格:Z",
        "第9行:性别与身份证号不符",
    ]
    assert _snapshot() == before
    assert not AccessLog.objects.exists()


def test_dry_run_previews_without_writing(registry):
    before = _snapshot()
    data = write_xlsx(HEADERS, _good_rows())
    result = import_resident_ledger(
        user=registry.staff, community=registry.community, data=data, dry_run=True
    )
    assert result.totals["new"] == 3
    assert _snapshot() == before


def test_grid_worker_cannot_import_into_another_grid(registry):
    from django.contrib.auth.models import Permission

    registry.worker_a.user_permissions.add(Permission.objects.get(codename="import_resident"))
    rows = [_row("越界", make_id_number(), building=registry.home_b.building.number,
                 grid="B", 小区=registry.home_b.building.compound.name)]  # fmt: skip
    result = import_resident_ledger(
        user=registry.worker_a, community=registry.community, data=write_xlsx(HEADERS, rows)
    )
    assert len(error_lines(result)) == 1
    assert not Resident.objects.filter(name="越界").exists()


def test_existing_resident_is_matched_by_id_number_and_updated(registry):
    home = registry.home_a
    rows = [
        _row("金丝雀", registry.canary.id_number, building=home.building.number, unit="",
             door=home.door_number, 小区=home.building.compound.name, 备注="新备注",
             民族="维吾尔族", 性别="女")
    ]  # fmt: skip
    result = import_resident_ledger(
        user=registry.staff, community=registry.community, data=write_xlsx(HEADERS, rows)
    )
    assert error_lines(result) == []
    assert result.totals["update"] == 1
    registry.canary.refresh_from_db()
    assert registry.canary.notes == "新备注"
    assert Resident.objects.filter(name="金丝雀").count() == 1


def test_export_then_import_round_trips(client, registry):
    import_resident_ledger(
        user=registry.secretary,
        community=registry.community,
        data=write_xlsx(HEADERS, _good_rows()),
    )
    before = _snapshot()
    client.force_login(registry.secretary)
    exported = client.post(
        "/admin/community/resident/export/", {"format": "0", "reason": "年度核对"}
    ).content
    result = import_resident_ledger(
        user=registry.secretary, community=registry.community, data=exported
    )
    assert error_lines(result) == []
    assert result.totals["skip"] == Resident.objects.filter(community=registry.community).count()
    assert _snapshot() == before


def test_admin_import_previews_then_confirms(client, registry):
    client.force_login(registry.staff)
    data = write_xlsx(HEADERS, _good_rows())
    upload = ("ledger.xlsx", data)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/admin/community/resident/import/",
        {"format": "0", "import_file": SimpleUploadedFile(*upload)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "process_import" in html or "confirm" in html
    assert not Resident.objects.filter(name="王建国").exists()  # only a preview so far
    confirm = response.context["confirm_form"]
    response = client.post(
        "/admin/community/resident/process_import/",
        {**confirm.initial, "format": "0"},
    )
    assert response.status_code == 302
    assert Resident.objects.filter(name="王建国").exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.IMPORT).count() == 1


def test_admin_import_lists_bad_rows_and_offers_no_confirmation(client, registry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(registry.staff)
    rows = [*_good_rows(), _row("无门牌", make_id_number(), door="")]
    response = client.post(
        "/admin/community/resident/import/",
        {"format": "0", "import_file": SimpleUploadedFile("l.xlsx", write_xlsx(HEADERS, rows))},
        headers={"accept-language": "zh-hans"},
    )
    html = response.content.decode()
    assert "第5行:门牌号不能为空" in html
    assert response.context.get("confirm_form") is None
    assert not Resident.objects.filter(name="王建国").exists()
    for row in rows:
        assert row[4] not in html  # the file's ID numbers are not echoed


@pytest.mark.parametrize("role", ["worker_a", "viewer"])
def test_import_is_forbidden_without_the_permission(client, registry, role):
    client.force_login(getattr(registry, role))
    assert client.get("/admin/community/resident/import/").status_code == 403


def test_import_command_checks_then_imports(registry, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(write_xlsx(HEADERS, _good_rows()))
    args = [str(path), "--community", "hongxing", "--user", registry.staff.username]
    call_command("import_residents", *args, "--dry-run")
    assert not Resident.objects.filter(name="王建国").exists()
    call_command("import_residents", *args)
    assert Resident.objects.filter(name="王建国").exists()
    path.write_bytes(write_xlsx(HEADERS, [_row("", make_id_number())]))
    with pytest.raises(CommandError):
        call_command("import_residents", *args)
    with pytest.raises(CommandError):
        call_command("import_residents", str(path), "--community", "hongxing", "--user", "vw")
