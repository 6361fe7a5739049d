import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from community.divisions import division_codes
from community.validators import (
    birth_date_from_id,
    check_id_number_matches,
    gender_from_id,
    id_number_check_character,
    normalize_id_number,
    normalize_mobile,
)
from tests.factories import make_id_number

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))
# Real administrative division codes (GB/T 2260), current and historical.
regions = st.sampled_from(sorted(division_codes()))
sequences = st.integers(min_value=0, max_value=999)


def _body(region, born, seq):
    return f"{region}{born:%Y%m%d}{seq:03d}"


def _code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.code


def test_known_example_is_valid():
    assert normalize_id_number("11010519491231002X") == "11010519491231002X"
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


@given(region=regions, born=birth_dates, seq=sequences)
def test_check_character_makes_a_valid_number(region, born, seq):
    body = _body(region, born, seq)
    number = body + id_number_check_character(body)
    assert normalize_id_number(number) == number
    assert birth_date_from_id(number) == born
    assert gender_from_id(number) == ("M" if seq % 2 else "F")
    # The definition: (sum of weighted digits + check value) ≡ 1 (mod 11), X standing for 10.
    check = 10 if number[17] == "X" else int(number[17])
    total = sum(int(d) * w for d, w in zip(number[:17], WEIGHTS, strict=True))
    assert (total + check) % 11 == 1


@given(region=regions, born=birth_dates, seq=sequences, wrong=st.sampled_from("0123456789X"))
def test_any_other_check_character_is_rejected(region, born, seq, wrong):
    body = _body(region, born, seq)
    right = id_number_check_character(body)
    if wrong == right:
        return
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(body + wrong)
    assert _code(exc) == "id_checksum"


@given(
    region=regions,
    born=birth_dates,
    seq=sequences,
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_a_single_mistyped_digit_is_caught(region, born, seq, position, delta):
    body = _body(region, born, seq)
    number = body + id_number_check_character(body)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError):
        normalize_id_number(typo)


def test_impossible_birth_date_is_rejected():
    body = "65010219750230123"  # 30 February
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(body + id_number_check_character(body))
    assert _code(exc) == "id_birth_date"


@time_machine.travel(dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC))
def test_future_birth_date_is_rejected():
    number = make_id_number(birth_date=dt.date(2024, 5, 3))
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(number)
    assert _code(exc) == "id_future"
    assert normalize_id_number(make_id_number(birth_date=dt.date(2024, 4, 30)))


@pytest.mark.parametrize("value", ["", "12345", "1101051949123100", "11010519491231002Y"])
def test_malformed_numbers_are_rejected(value):
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(value)
    assert _code(exc) == "id_format"


def test_fifteen_digit_legacy_number_is_converted():
    assert normalize_id_number("110105491231002") == "11010519491231002X"


def test_birth_date_and_gender_must_agree_with_the_number():
    number = "11010519491231002X"  # born 1949-12-31, sequence 002: a woman
    assert check_id_number_matches(number, birth_date=dt.date(1949, 12, 31), gender="F") == {}
    errors = check_id_number_matches(number, birth_date=dt.date(1950, 1, 1), gender="M")
    assert sorted(errors) == ["birth_date", "gender"]


def test_error_messages_are_chinese_and_never_repeat_the_number():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        normalize_id_number("110105194912310021")
    assert exc.value.messages == ["身份证号校验位错误"]
    assert "110105194912310021" not in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("008619912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("13812345678.0", "13812345678"),
    ],
)
def test_mobile_numbers_are_normalised(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw", ["12812345678", "1381234567", "138123456789", "+8512812345678", "x"]
)
def test_bad_mobile_numbers_are_rejected(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_mobile(raw)
    assert exc.value.code == "mobile_format"


ALLOCATED = [f"13{d}" for d in range(10)] + ["150", "158", "166", "177", "180", "199"]


@given(
    st.sampled_from(ALLOCATED),
    st.from_regex(r"[0-9]{8}", fullmatch=True),
    st.sampled_from(["", "+86", "0086", "86", "(+86)", "+86 "]),
)
def test_any_valid_mobile_survives_a_prefix(start, rest, prefix):
    number = start + rest
    assert normalize_mobile(prefix + number) == number
