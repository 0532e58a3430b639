"""Issue 8 point 2: house-number suffixes, street spellings, one-line addresses."""

import pytest

from regie.matching.addresses import normalise_street, parse_address, split_house_number
from regie.matching.records import AddressRecord


@pytest.mark.parametrize("written", ["12A", "12a", "12-a", "12 A", "12-A", "12/a", " 12a. "])
def test_house_letter_in_every_spelling(written):
    assert split_house_number(written) == (12, "a", "")


@pytest.mark.parametrize("written, expected", [
    ("12", (12, "", "")),
    ("12-II", (12, "", "ii")),
    ("103bis", (103, "", "bis")),
    ("103 bis", (103, "", "bis")),
    ("12a-3", (12, "a", "3")),
    ("40-1", (40, "", "1")),
])
def test_additions(written, expected):
    assert split_house_number(written) == expected


def test_no_house_number_is_refused():
    assert split_house_number("twaalf") is None
    parsed, problems = parse_address(AddressRecord(street="Kerkstraat", house_number="twaalf"))
    assert parsed.number is None
    assert [p.code for p in problems] == ["house_number.format"]


def test_street_abbreviations_diacritics_and_spaces():
    assert normalise_street("Kerkstr.") == normalise_street("Kerkstraat") == "kerkstraat"
    assert normalise_street("Burg. de Withstraat") == normalise_street("Burgemeester de Withstraat")
    assert normalise_street("Prinses Irenéstraat") == normalise_street("Prinses Irenestraat")
    assert normalise_street("Markt plein") == normalise_street("Marktplein")
    assert normalise_street("Rijksstraatweg") == normalise_street("Ryksstraatweg")


def test_one_line_and_parts_give_the_same_address():
    one_line, problems = parse_address(AddressRecord(text="Kerkstraat 12-a, 3511 LX Utrecht"))
    parts, _ = parse_address(AddressRecord(street="Kerkstraat", house_number="12A", postcode="3511lx", city="Utrecht"))
    assert problems == []
    assert one_line == parts
    assert (one_line.street, one_line.number, one_line.letter, one_line.postcode, one_line.city) == (
        "kerkstraat", 12, "a", "3511LX", "utrecht")


def test_one_line_without_postcode():
    parsed, _ = parse_address(AddressRecord(text="Lange Nieuwstraat 103 bis, Utrecht"))
    assert (parsed.street, parsed.number, parsed.addition, parsed.city) == ("langenieuwstraat", 103, "bis", "utrecht")


def test_impossible_postcode_is_flagged_and_not_used():
    parsed, problems = parse_address(AddressRecord(street="Kerkstraat", house_number="1", postcode="0123 AB"))
    assert parsed.postcode == ""
    assert [p.code for p in problems] == ["postcode.invalid"]
