"""Issue 8 point 10: invalid identifiers and impossible dates are flagged with a reason."""

from datetime import date

import pytest

from regie.matching.dates import parse_date
from regie.matching.identifiers import (
    check_bsn,
    check_iban,
    check_kenteken,
    check_kvk,
    check_postcode,
)


def test_bsn():
    assert check_bsn("1112.22.333") == ("111222333", [])
    value, problems = check_bsn("111222334")
    assert value == "" and problems[0].code == "bsn.checksum"
    assert "elfproef" in problems[0].message
    assert check_bsn("12345")[1][0].code == "bsn.format"
    assert check_bsn("") == ("", [])


def test_kvk():
    assert check_kvk("1234 5678") == ("12345678", [])
    assert check_kvk("1234567")[1][0].code == "kvk.format"
    assert check_kvk("00000000")[1][0].code == "kvk.format"


def test_iban():
    assert check_iban("NL91 ABNA 0417 1643 00") == ("NL91ABNA0417164300", [])
    assert check_iban("NL92ABNA0417164300")[1][0].code == "iban.checksum"


def test_postcode():
    assert check_postcode("1234 ab") == ("1234AB", [])
    assert check_postcode("1234 SS")[1][0].code == "postcode.invalid"
    assert check_postcode("4223") == ("4223", [])  # a foreign postcode is kept, not flagged
    assert check_postcode("12-34-AB!")[1][0].code == "postcode.format"


@pytest.mark.parametrize("plate, expected", [("12-ABC-3", "12ABC3"), ("ab-12-cd", "AB12CD"), ("XX-99-99", "XX9999"), ("1-KBB-00", "1KBB00")])
def test_kenteken_sidecodes(plate, expected):
    assert check_kenteken(plate) == (expected, [])


@pytest.mark.parametrize("plate", ["ABCDEF", "123456", "A-1", "12-AB-C3D"])
def test_kenteken_outside_every_sidecode(plate):
    assert check_kenteken(plate)[1][0].code == "kenteken.format"


@pytest.mark.parametrize("written", ["1980-05-12", "12-05-1980", "12/05/1980", "12.05.1980", "19800512", date(1980, 5, 12)])
def test_dates_in_every_spelling(written):
    assert parse_date(written) == (date(1980, 5, 12), [])


@pytest.mark.parametrize("written, code", [
    ("31-02-1980", "date.impossible"), ("1980-13-01", "date.impossible"), ("2999-01-01", "date.future"),
    ("1700-01-01", "date.too_early"), ("gisteren", "date.format"),
])
def test_impossible_dates_are_flagged(written, code):
    value, problems = parse_date(written)
    assert value is None
    assert [p.code for p in problems] == [code]
