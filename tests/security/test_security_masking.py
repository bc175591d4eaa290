"""Masking of personal identifiers (debtorgraph.security.masking)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debtorgraph.security.masking import mask_entity, mask_text, mask_value


@pytest.mark.parametrize("prop, value, masked", [
    ("idNumber", "513338198001011234", "513338********1234"),      # birth date hidden
    ("idNumber", "51333819800101123X", "513338********123X"),      # check digit X
    ("idNumber", "513338800101123", "513338******123"),            # old 15-digit number
    ("phone", "+8613912345678", "+86139****5678"),                 # mobile, E.164
    ("phone", "13912345678", "139****5678"),                       # mobile, national
    ("phone", "+868362345678", "+8683****5678"),                   # landline, E.164
    ("phone", "028-12345678", "028-****5678"),                     # landline with area code
    ("accountNumber", "6222021234567890123", "***************0123"),  # card: last 4
    ("accountNumber", "6222 0212 3456 7890", "**** **** **** 7890"),  # separators kept
    ("iban", "GB29NWBK60161331926819", "GB****************6819"),  # country + last 4
    ("passportNumber", "E12345678", "*****5678"),                  # other identifiers
    ("taxNumber", "abc", "***"),                                   # short: all hidden
    ("email", "wang.li@example.cn", "w***@example.cn"),
    ("identifier", "513338198001011234", "513338********1234"),    # by FtM type name
    ("idNumber", 513338198001011234, "513338********1234"),        # an int does not escape
    ("idNumber", None, None),
])
def test_mask_value(prop, value, masked):
    assert mask_value(prop, value) == masked


@pytest.mark.parametrize("text, masked", [
    ("王某某 513338198001011234", "王某某 513338********1234"),            # name + ID tooltip
    ("身份证号:513338198001011234。", "身份证号:513338********1234。"),
    ("p-513338198001011234", "p-513338********1234"),                    # inside an id
    ("电话 139-1234-5678 或 +86 139 1234 5678", "电话 139-****-5678 或 +86 139 **** 5678"),
    ("转账至 6222021234567890123", "转账至 ***************0123"),          # account in a purpose
    ("卡号 6222 0212 3456 7890", "卡号 **** **** **** 7890"),
    ("联系 wang@example.cn", "联系 w***@example.cn"),
    ("５１３３３８１９８００１０１１２３４", "５１３３３８********１２３４"),  # full-width digits
    # left alone: dates, amounts, case numbers, short numbers
    ("2023-05-01 还款 120000.00 元", "2023-05-01 还款 120000.00 元"),
    ("(2022)川3338执123号", "(2022)川3338执123号"),
    ("", ""),
])
def test_mask_text(text, masked):
    assert mask_text(text) == masked


PERSON = {
    "id": "p-wang", "schema": "Person",
    "properties": {
        "name": ["王某某"], "idNumber": ["513338198001011234"], "phone": ["+8613912345678"],
        "registrationNumber": ["513338198001011234"], "birthDate": ["1980-01-01"],
        "notes": ["另一号码 13800001111"], "proof": ["doc-1"],
    },
}


def test_mask_entity_person():
    masked = mask_entity(PERSON)
    props = masked["properties"]
    assert props["idNumber"] == ["513338********1234"]
    assert props["phone"] == ["+86139****5678"]
    assert props["registrationNumber"] == ["513338********1234"]   # a person's: masked
    assert props["notes"] == ["另一号码 138****1111"]                   # free text
    assert props["name"] == ["王某某"]
    assert props["proof"] == ["doc-1"]                                 # references untouched
    assert masked["id"] == "p-wang"
    assert PERSON["properties"]["idNumber"] == ["513338198001011234"]  # input unchanged


def test_mask_entity_unmasked_is_a_copy():
    copy = mask_entity(PERSON, unmasked=True)
    assert copy == PERSON and copy is not PERSON
    copy["properties"]["name"].append("x")
    assert PERSON["properties"]["name"] == ["王某某"]


@pytest.mark.parametrize("entity, prop, expected", [
    # a company's Unified Social Credit Code is public: kept
    ({"schema": "Company", "properties": {"registrationNumber": ["91510100MA61R5XU2K"]}},
     "registrationNumber", ["91510100MA61R5XU2K"]),
    # a party of unknown kind may be a person: masked
    ({"schema": "LegalEntity", "properties": {"registrationNumber": ["513338198001011234"]}},
     "registrationNumber", ["513338********1234"]),
    # bank accounts are masked whoever holds them
    ({"schema": "BankAccount", "properties": {"accountNumber": ["6222021234567890123"]}},
     "accountNumber", ["***************0123"]),
    # transaction numbers are record references a judge cites: kept
    ({"schema": "Payment", "properties": {"transactionNumber": ["20230501123456789012"]}},
     "transactionNumber", ["20230501123456789012"]),
    # the purpose of a payment is free text
    ({"schema": "Payment", "properties": {"purpose": ["转 6222021234567890123"]}},
     "purpose", ["转 ***************0123"]),
    # an unknown schema is masked the safe way
    ({"schema": "Nonsense", "properties": {"taxNumber": ["513338198001011234"],
                                           "x": ["513338198001011234"]}},
     "x", ["513338********1234"]),
])
def test_mask_entity_by_schema(entity, prop, expected):
    assert mask_entity(dict(entity, id="e-1"))["properties"][prop] == expected


ID_NUMBERS = st.from_regex(r"\A[1-8]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}[\dX]\Z")
FILLER = st.text(alphabet=st.sampled_from(list("王某 ,.:;()-号abcXYZ\n")), max_size=8)


@settings(max_examples=200, deadline=None)
@given(before=FILLER, id_number=ID_NUMBERS, after=FILLER)
def test_no_id_number_survives_free_text(before, id_number, after):
    masked = mask_text(before + id_number + after)
    assert id_number not in masked
    assert id_number[6:14] not in masked          # the birth date
    assert mask_text(masked) == masked            # masking twice changes nothing
    assert re.search(r"\d{17}[\dX]", masked) is None
