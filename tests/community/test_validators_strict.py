"""Strict validation: mobile numbers of allocated ranges only, landlines with their area code,
the forms people write, full-width input, and ID numbers whose region code is a real GB/T 2260
administrative division (current or historical)."""

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from community.divisions import division_codes, is_division_code
from community.normalize import normalize_identifier
from community.validators import (
    id_number_check_character,
    normalize_id_number,
    normalize_mobile,
    normalize_phone,
)


def _id(region: str, born: str = "19800101", sequence: str = "123") -> str:
    body = f"{region}{born}{sequence}"
    return body + id_number_check_character(body)


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    ["130", "134", "139", "145", "147", "150", "155", "162", "165", "166", "167", "170",
     "172", "177", "180", "184", "189", "190", "192", "195", "199"],
)  # fmt: skip
def test_allocated_prefixes_pass(prefix):
    assert normalize_mobile(f"{prefix}12345678") == f"{prefix}12345678"


@pytest.mark.parametrize(
    "prefix",
    ["140", "141", "142", "143", "144", "146", "148", "149", "154", "160", "161", "163",
     "164", "168", "169", "174", "179", "194"],
)  # fmt: skip
def test_unallocated_and_iot_prefixes_are_refused_by_name(prefix):
    with pytest.raises(ValidationError) as info:
        normalize_mobile(f"{prefix}12345678")
    assert info.value.code == "mobile_unallocated"
    with translation.override("zh-hans"):
        assert info.value.messages == [f"{prefix} 开头的号码不是已分配的手机号段，请核对。"]


def test_the_rule_is_the_phonenumbers_metadata_for_every_prefix():
    """Every 13x-19x prefix is accepted exactly when phonenumbers calls it a mobile range."""
    for prefix in range(130, 200):
        number = f"{prefix}12345678"
        parsed = phonenumbers.parse(number, "CN")
        mobile = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        try:
            normalize_mobile(number)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == mobile, prefix


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "8613812345678",
        "86 138 1234 5678",
        "+86 138 1234 5678",
        "(+86)13812345678",
        "（+86）138-1234-5678",
        "0086-138-1234-5678",
        "138.1234.5678",
        "138-1234-5678",
        "138 1234 5678",
        "１３８１２３４５６７８",
        "１３８ １２３４ ５６７８",
        " 13812345678 ",
        "13812345678.0",
    ],
)
def test_the_forms_people_write_are_normalised(written):
    assert normalize_mobile(written) == "13812345678"
    assert normalize_phone(written) == "13812345678"


@pytest.mark.parametrize("written", ["0991-2345678", "09912345678", "+86 991 2345678"])
def test_a_landline_is_not_a_mobile(written):
    with pytest.raises(ValidationError) as info:
        normalize_mobile(written)
    assert info.value.code == "mobile_format"


# --- landlines (households and residents without a mobile) ---------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0991-2345678", "0991-2345678"),
        ("09912345678", "0991-2345678"),
        ("(0991)2345678", "0991-2345678"),
        ("０９９１－２３４５６７８", "0991-2345678"),
        ("+86 991 2345678", "0991-2345678"),
        ("0902-2345678", "0902-2345678"),  # Hami
        ("010-12345678", "010-12345678"),
        ("021 6234 5678", "021-62345678"),
    ],
)
def test_landlines_with_an_area_code_are_stored_in_one_form(written, stored):
    assert normalize_phone(written) == stored


def test_a_landline_without_its_area_code_is_refused_with_that_reason():
    with pytest.raises(ValidationError) as info:
        normalize_phone("2345678")
    assert info.value.code == "phone_area_code"
    with translation.override("zh-hans"):
        assert info.value.messages == ["固定电话请加区号，如 0991-2345678。"]


@pytest.mark.parametrize("written", ["123", "abc", "0902-1", "+1 202 555 0100", "12812345678"])
def test_other_input_is_refused(written):
    with pytest.raises(ValidationError) as info:
        normalize_phone(written)
    assert info.value.code == "phone_format"
    with translation.override("zh-hans"):
        assert "带区号的固定电话" in info.value.messages[0]
    assert written not in str(info.value)


def test_unallocated_mobiles_are_refused_where_landlines_are_allowed():
    with pytest.raises(ValidationError) as info:
        normalize_phone("14012345678")
    assert info.value.code == "mobile_unallocated"


# --- ID numbers: the region code --------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "what"),
    [
        ("110101", "北京市东城区, current"),
        ("650102", "乌鲁木齐市天山区, current"),
        ("650502", "哈密市伊州区, current (since 2016)"),
        ("659004", "五家渠市, current"),
        ("659011", "新星市, created 2021"),
        ("110103", "北京市崇文区, withdrawn 2010"),
        ("652201", "哈密市 (county-level), withdrawn 2016"),
        ("110100", "北京市市辖区"),
        ("650000", "新疆维吾尔自治区"),
    ],
)
def test_real_region_codes_pass_current_and_historical(region, what):
    assert is_division_code(region), what
    number = _id(region)
    assert normalize_id_number(number) == number


@pytest.mark.parametrize("region", ["000000", "999999", "659999", "110199", "661234", "123456"])
def test_made_up_region_codes_are_refused(region):
    with pytest.raises(ValidationError) as info:
        normalize_id_number(_id(region))
    assert info.value.code == "id_region"
    with translation.override("zh-hans"):
        assert info.value.messages == [
            "身份证号码前6位不是有效的行政区划代码（GB/T 2260），请核对。"
        ]


def test_a_legacy_fifteen_digit_number_needs_a_real_region_too():
    assert normalize_id_number("110105491231002") == "11010519491231002X"
    with pytest.raises(ValidationError) as info:
        normalize_id_number("999999491231002")
    assert info.value.code == "id_region"


def test_full_width_id_numbers_are_folded():
    number = next(
        n for n in (_id("650102", sequence=f"{i:03d}") for i in range(100)) if n[-1] == "X"
    )
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:-1]) + "ｘ"
    assert normalize_id_number(full_width) == number


def test_the_shipped_list_is_gb_t_2260_with_its_history():
    codes = division_codes()
    assert len(codes) > 7000  # 1980-2020 lists plus today's
    assert codes["110103"] == ("崇文区", "2009")
    assert codes["650502"] == ("伊州区", "")
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_fold_width_folds_digits_letters_and_spaces():
    assert normalize_identifier("１号楼　２单元 ＡＢ") == "1号楼 2单元 AB"


# --- the forms that take a phone -------------------------------------------------------------


def test_a_household_without_a_mobile_gives_a_landline(household):
    from community.forms import HouseholdForm

    data = {"building": household.building_id, "door_number": "101", "head": ""}
    data["contact_phone_entry"] = "（0902）２３４５６７８"  # full-width, as an IME types it
    form = HouseholdForm(data, instance=household)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.contact_phone == "0902-2345678"
    assert saved.contact_phone_last4 == "5678"
    assert "2345678" not in saved.contact_phone_masked


def test_a_resident_form_refuses_an_unallocated_mobile_in_chinese(resident):
    from community.forms import ResidentForm

    form = ResidentForm(instance=resident)
    field = form.fields["phone_entry"]
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as info:
            form.cleaned_data = {"phone_entry": field.clean("14412345678")}
            form.clean_phone_entry()
        assert info.value.messages == ["144 开头的号码不是已分配的手机号段，请核对。"]
    form.cleaned_data = {"phone_entry": "0991 2345678"}
    assert form.clean_phone_entry() == "0991-2345678"
