"""Unified Social Credit Code rules (GB 32100-2015), tested without Django."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.accounts import uscc
from synergy_hub.accounts.uscc import (
    CHARSET,
    ORGANISATION_TYPES,
    UsccError,
    generate_uscc,
    is_valid_uscc,
    normalise_uscc,
    organisation_code_check_digit,
    region_code_of,
    uscc_check_character,
    validate_uscc,
)

# Codes printed on the business licences or annual reports of well-known organisations.
# Each passes both checks (GB 11714 on positions 9-17, mod 31 on position 18).
PUBLISHED_CODES = {
    "914403001922038216": "华为技术有限公司 Huawei Technologies",
    "9144030071526726XG": "腾讯科技（深圳）有限公司 Tencent Technology (Shenzhen)",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司 Shenzhen Tencent Computer Systems",
    "91330100799655058B": "阿里巴巴（中国）有限公司 Alibaba (China)",
    "91110000802100433B": "北京百度网讯科技有限公司 Beijing Baidu Netcom",
    "91110108558521630L": "小米通讯技术有限公司 Xiaomi Communications",
    "91440300192317458F": "比亚迪股份有限公司 BYD",
    "9144030027939873X7": "中兴通讯股份有限公司 ZTE",
    "91440606722473344C": "美的集团股份有限公司 Midea Group",
    "91440400192548256N": "珠海格力电器股份有限公司 Gree Electric",
    "91350900587527783P": "宁德时代新能源科技股份有限公司 CATL",
    "91370200264574251E": "海尔智家股份有限公司 Haier Smart Home",
    "91520000214434146R": "贵州茅台酒股份有限公司 Kweichow Moutai",
    "91310000132260250X": "上海汽车集团股份有限公司 SAIC Motor",
    "91110000710926094P": "中国石油化工股份有限公司 Sinopec",
    "911100007109250324": "中国移动通信集团有限公司 China Mobile",
    "91440300192181490G": "万科企业股份有限公司 China Vanke",
    "91440300100012316L": "中国平安保险（集团）股份有限公司 Ping An Insurance",
    "91100000100003962T": "中国工商银行股份有限公司 ICBC",
    "911100001000044477": "中国建设银行股份有限公司 China Construction Bank",
    "911000001000013428": "中国银行股份有限公司 Bank of China",
    "911100001000054748": "中国农业银行股份有限公司 Agricultural Bank of China",
    "9144030010001686XA": "招商银行股份有限公司 China Merchants Bank",
    "12100000400000624D": "清华大学 Tsinghua University (public institution, 事业单位)",
    "12100000400002259P": "北京大学 Peking University (public institution, 事业单位)",
}

HUAWEI = "914403001922038216"


@pytest.mark.parametrize("code", sorted(PUBLISHED_CODES))
def test_published_codes_validate(code: str) -> None:
    assert validate_uscc(code) == code
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", sorted(PUBLISHED_CODES))
def test_published_codes_check_digits_recompute(code: str) -> None:
    assert organisation_code_check_digit(code[8:16]) == code[16]
    assert uscc_check_character(code[:17]) == code[17]


def test_region_code_of_returns_positions_3_to_8() -> None:
    assert region_code_of(HUAWEI) == "440300"
    assert region_code_of("91330100799655058B") == "330100"


def test_gb_11714_check_digit_maps_10_to_x_and_11_to_0() -> None:
    # 71526726 is Tencent's organisation code body; its remainder gives 10 → 'X'.
    assert organisation_code_check_digit("71526726") == "X"
    # 11 - (sum mod 11) is 11 only when the sum is a multiple of 11, e.g. all zeros.
    assert organisation_code_check_digit("00000000") == "0"


def test_check_character_maps_31_to_0() -> None:
    # All zeros weigh nothing: 31 - 0 = 31, which the standard maps to '0'.
    assert uscc_check_character("0" * 17) == "0"


@pytest.mark.parametrize(
    "raw",
    [
        "9144030071526726xg",
        " 9144 0300 7152 6726 XG ",
        "９１４４０３００７１５２６７２６ＸＧ",  # full-width digits and letters
        "9144030071526726\u3000XG",  # ideographic space
    ],
)
def test_input_is_normalised(raw: str) -> None:
    assert normalise_uscc(raw) == "9144030071526726XG"
    assert validate_uscc(raw) == "9144030071526726XG"


def _expect(raw: str, rule: str, position: int | None) -> UsccError:
    with pytest.raises(UsccError) as caught:
        validate_uscc(raw)
    assert caught.value.rule == rule
    assert caught.value.position == position
    assert str(caught.value).startswith(f"{rule}: ")
    return caught.value


@pytest.mark.parametrize("raw", ["", "91440300192203821", "9144030019220382166"])
def test_wrong_length(raw: str) -> None:
    error = _expect(raw, uscc.RULE_LENGTH, None)
    assert f"found {len(raw)}" in str(error)


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "é"])
def test_characters_outside_the_charset(bad: str) -> None:
    error = _expect(HUAWEI[:9] + bad + HUAWEI[10:], uscc.RULE_CHARSET, 10)
    assert "position 10" in str(error)


def test_unknown_registration_department() -> None:
    error = _expect("B" + HUAWEI[1:], uscc.RULE_DEPARTMENT, 1)
    assert "'B'" in str(error)


@pytest.mark.parametrize("prefix", ["94", "99", "90", "14", "54", "2A", "Y2", "A3", "N4"])
def test_organisation_type_not_valid_for_department(prefix: str) -> None:
    error = _expect(prefix + HUAWEI[2:], uscc.RULE_ORGANISATION_TYPE, 2)
    assert f"department {prefix[0]!r}" in str(error)


def test_region_must_be_six_digits() -> None:
    _expect("91" + "44A300" + HUAWEI[8:], uscc.RULE_REGION_FORMAT, 5)


def test_organisation_code_check_digit_is_verified() -> None:
    error = _expect(HUAWEI[:16] + "3" + HUAWEI[17:], uscc.RULE_ORGANISATION_CODE_CHECK, 17)
    assert "expected organisation code check digit '1'" in str(error)


def test_check_character_is_verified() -> None:
    error = _expect(HUAWEI[:17] + "7", uscc.RULE_CHECK_CHARACTER, 18)
    assert "expected check character '6'" in str(error)
    assert "found '7'" in str(error)


def test_is_valid_rejects_non_strings_and_bad_codes() -> None:
    assert not is_valid_uscc(None)
    assert not is_valid_uscc(914403001922038216)
    assert not is_valid_uscc(HUAWEI[:17] + "7")


def test_region_code_of_rejects_invalid_codes() -> None:
    with pytest.raises(UsccError):
        region_code_of(HUAWEI[:17] + "7")


def test_helpers_reject_bad_input() -> None:
    with pytest.raises(UsccError) as caught:
        uscc_check_character("91440300192203821I")
    assert caught.value.rule == uscc.RULE_LENGTH
    with pytest.raises(UsccError) as caught:
        uscc_check_character("9144030019220382I")
    assert (caught.value.rule, caught.value.position) == (uscc.RULE_CHARSET, 17)
    with pytest.raises(UsccError) as caught:
        organisation_code_check_digit("1922038")
    assert caught.value.rule == uscc.RULE_LENGTH
    with pytest.raises(UsccError) as caught:
        organisation_code_check_digit("1922038-")
    assert caught.value.rule == uscc.RULE_CHARSET


def test_generate_is_deterministic() -> None:
    first = [generate_uscc(random.Random(7), "110108") for _ in range(3)]
    assert len(set(first)) == 1
    assert generate_uscc(random.Random(7), "110108") != generate_uscc(random.Random(8), "110108")


def test_generate_uses_department_type_and_region() -> None:
    code = generate_uscc(random.Random(1), "330106", department="5", organisation_type="3")
    assert code.startswith("53330106")
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("department", "organisation_type", "region", "rule"),
    [
        ("B", "1", "110108", uscc.RULE_DEPARTMENT),
        ("9", "4", "110108", uscc.RULE_ORGANISATION_TYPE),
        ("9", "1", "11010", uscc.RULE_REGION_FORMAT),
        ("9", "1", "11O108", uscc.RULE_REGION_FORMAT),
        ("9", "1", "１１０１０８", uscc.RULE_REGION_FORMAT),
    ],
)
def test_generate_rejects_bad_arguments(
    department: str, organisation_type: str, region: str, rule: str
) -> None:
    with pytest.raises(UsccError) as caught:
        generate_uscc(random.Random(0), region, department, organisation_type)
    assert caught.value.rule == rule


_DEPARTMENT_AND_TYPE = st.sampled_from(
    sorted((dept, kind) for dept, kinds in ORGANISATION_TYPES.items() for kind in kinds)
)
_REGION = st.from_regex(r"[0-9]{6}", fullmatch=True)


@given(seed=st.integers(), department_and_type=_DEPARTMENT_AND_TYPE, region=_REGION)
def test_every_generated_code_validates(
    seed: int, department_and_type: tuple[str, str], region: str
) -> None:
    department, organisation_type = department_and_type
    code = generate_uscc(random.Random(seed), region, department, organisation_type)
    assert validate_uscc(code) == code
    assert region_code_of(code) == region


@given(
    seed=st.integers(),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(CHARSET),
)
def test_every_single_substitution_is_detected(seed: int, position: int, replacement: str) -> None:
    code = generate_uscc(random.Random(seed), "440300")
    if code[position] == replacement:
        replacement = CHARSET[(CHARSET.index(replacement) + 1) % len(CHARSET)]
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(corrupted)


def test_every_single_substitution_of_a_published_code_is_detected() -> None:
    # Exhaustive for one real code: 18 positions x 30 other characters.
    for position in range(18):
        for replacement in CHARSET:
            if replacement == HUAWEI[position]:
                continue
            corrupted = HUAWEI[:position] + replacement + HUAWEI[position + 1 :]
            assert not is_valid_uscc(corrupted), corrupted
