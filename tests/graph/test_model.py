"""Model checks: each reject reason, with the entity that triggers it."""
from __future__ import annotations

import pytest

from debtorgraph.graph.model import REASONS, check_entity

OK_PAYMENT = {"id": "pay-1", "schema": "Payment",
              "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["5000"],
                             "date": ["2023-05-01T10:00:00"]}}


@pytest.mark.parametrize("entity, reason", [
    ("not a dict", "invalid_json"),                                   # a JSON string, not an object
    ({"schema": "Person"}, "missing_id"),                             # no id
    ({"id": "  ", "schema": "Person"}, "missing_id"),                 # blank id
    ({"id": "x"}, "missing_schema"),                                  # no schema
    ({"id": "x", "schema": "Personne"}, "unknown_schema"),            # not an FtM schema
    ({"id": "x", "schema": "Thing"}, "abstract_schema"),              # abstract schema
    ({"id": "x", "schema": "Person", "properties": []}, "invalid_properties"),   # not an object
    ({"id": "x", "schema": "Person", "properties": {"name": "王某"}}, "invalid_properties"),  # not a list
    ({"id": "x", "schema": "Person", "properties": {"name": [5]}}, "invalid_properties"),   # not strings
    ({"id": "x", "schema": "Person", "properties": {"favouriteColour": ["red"]}}, "unknown_property"),
    ({"id": "x", "schema": "Person", "properties": {"sanctions": ["s1"]}}, "unknown_property"),  # stub prop
    ({"id": "x", "schema": "Person", "properties": {"birthDate": ["1980-02-30"]}}, "invalid_value"),
    ({"id": "x", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"],
                                                      "amount": ["五千"]}}, "invalid_value"),
    ({"id": "x", "schema": "Person", "properties": {"phone": ["not a phone"]}}, "invalid_value"),
    ({"id": "x", "schema": "Person", "properties": {"email": ["nobody"]}}, "invalid_value"),
    ({"id": "x", "schema": "Payment", "properties": {"payer": ["a"]}}, "missing_required"),  # no beneficiary
])
def test_each_reject_reason(entity, reason):
    problems = check_entity(entity)
    assert [p.reason for p in problems][:1] == [reason]
    assert reason in REASONS
    assert problems[0].message_zh and problems[0].message_en


@pytest.mark.parametrize("value", ["2023", "2023-05", "2023-05-01", "2023-05-01T10:11",
                                   "2023-05-01T10:11:12", "2023-05-01 10:11:12"])
def test_date_forms_accepted(value):
    assert check_entity({"id": "e", "schema": "Event", "properties": {"date": [value]}}) == []


@pytest.mark.parametrize("value", ["1,000.50", "5000", "-3.5", "1e3"])
def test_numbers_accepted(value):
    ent = dict(OK_PAYMENT, properties=dict(OK_PAYMENT["properties"], amount=[value]))
    assert check_entity(ent) == []


def test_e164_phone_accepted_and_messages_name_the_fix():
    assert check_entity({"id": "p", "schema": "Person", "properties": {"phone": ["+8613912345678"]}}) == []
    bad = check_entity({"id": "p", "schema": "Person", "properties": {"phone": ["13912345678"]}})
    assert bad[0].reason == "invalid_value" and "E.164" in bad[0].message_zh
