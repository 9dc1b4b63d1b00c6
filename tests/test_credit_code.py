"""Unified social credit codes (GB 32100-2015): 18 characters, the last a check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Duplicate, InvalidValue
from projects.credit_code import ALPHABET, check_character, make_credit_code, validate_credit_code
from projects.models import Investor
from projects.services import investor_create, investor_update

# The example code of GB 32100-2015 (91350100M000100Y43), and two codes that pass the checksum
# (91500000202807557 completed with its check character N).
VALID = ["91350100M000100Y43", "91500000202807557N", "91110000100010433L"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_are_valid(code):
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]


def test_the_check_character_follows_the_standards_weights():
    # weights are 3^i mod 31; the weighted sum over 91350100M000100Y4 is 1640;
    # 1640 mod 31 = 28 and 31 - 28 = 3
    first17 = "91350100M000100Y4"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, weights, strict=True))
    assert total == 1640
    assert check_character(first17) == ALPHABET[(31 - total % 31) % 31] == "3"


def test_a_mistyped_check_character_is_refused():
    # 91500000202807557A: the first 17 characters give N, not A
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("91500000202807557A")
    assert refused.value.code == "invalid_checksum"


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433"])
def test_a_code_of_the_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code == "invalid_length"


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V", "-", "中", " "])
def test_characters_outside_the_alphabet_are_refused(bad):
    code = "91350100M000100Y4" + "3"
    code = code[:5] + bad + code[6:]
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code in ("invalid_character", "invalid_length")


def test_lower_case_and_surrounding_spaces_are_normalised():
    validate_credit_code("  91350100m000100y43 ")


first17 = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(first17)
def test_a_completed_code_is_always_valid(head):
    validate_credit_code(make_credit_code(head))


@given(first17, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_wrong_character_is_caught(head, position, replacement):
    code = make_credit_code(head)
    if code[position] == replacement:
        return
    typo = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_credit_code(typo)


def test_investor_create_refuses_a_bad_code_naming_the_field(manager):
    with pytest.raises(InvalidValue) as refused:
        investor_create(by=manager, name="某公司", credit_code="91500000202807557A")
    assert refused.value.field == "credit_code"
    assert "校验位" in str(refused.value)
    assert not Investor.objects.exists()


def test_investor_create_stores_the_normalised_code(manager):
    investor = investor_create(by=manager, name="某公司", credit_code=" 91350100m000100y43 ")
    assert investor.credit_code == "91350100M000100Y43"


def test_a_code_already_registered_is_a_duplicate(manager):
    investor_create(by=manager, name="甲公司", credit_code=VALID[0])
    with pytest.raises(Duplicate) as refused:
        investor_create(by=manager, name="乙公司", credit_code=VALID[0].lower())
    assert refused.value.code == "duplicate"
    assert refused.value.field == "credit_code"
    assert Investor.objects.count() == 1


def test_foreign_investors_may_have_no_code(manager):
    first = investor_create(by=manager, name="Foreign GmbH", credit_code="", is_foreign=True)
    second = investor_create(by=manager, name="Other Ltd", credit_code="")
    assert first.credit_code == second.credit_code == ""


def test_investor_update_checks_the_code_too(manager):
    investor = investor_create(by=manager, name="甲公司", credit_code=VALID[0])
    with pytest.raises(InvalidValue):
        investor_update(investor=investor, by=manager, credit_code="91350100M000100Y44")
    investor.refresh_from_db()
    assert investor.credit_code == VALID[0]
    assert investor_update(investor=investor, by=manager, credit_code=VALID[1]).credit_code == VALID[1]
