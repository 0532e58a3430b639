"""Issue 8 points 2 and 10: pairwise scores with an explanation per feature; bad input flagged."""

from regie.matching import AddressRecord, CompanyRecord, Model, PersonRecord, score_pair


def _features(result) -> dict:
    return {f.name: f.level for f in result.explanation.features}


def test_the_motivating_example_is_probably_the_same_person_and_says_why():
    result = score_pair(
        PersonRecord(name="J. van der Berg", address=AddressRecord(text="Kerkstraat 12-a")),
        PersonRecord(name="Jan vd Berg", address=AddressRecord(text="Kerkstraat 12A")),
    )
    assert result.is_match
    assert 0.9 < result.score <= 1
    features = _features(result)
    assert features["surname"] == "exact"  # 'van der' = 'vd', particles aside
    assert features["given_name"] == "initials"  # J. is consistent with Jan
    assert features["house_number"] == "same"  # 12-a = 12A
    assert features["street"] == "same"
    text = result.text()
    assert "surname=exact(+" in text and "given_name=initials(+" in text and "house_number=same(+" in text
    assert result.problems == []


def test_names_alone_give_a_lower_score_than_names_and_address():
    names_only = score_pair(PersonRecord(name="J. van der Berg"), PersonRecord(name="Jan vd Berg"))
    with_address = score_pair(
        PersonRecord(name="J. van der Berg", address=AddressRecord(text="Kerkstraat 12-a")),
        PersonRecord(name="Jan vd Berg", address=AddressRecord(text="Kerkstraat 12A")),
    )
    assert names_only.score < with_address.score
    assert names_only.explanation.bits < with_address.explanation.bits


def test_weights_add_up_to_the_score():
    model = Model()
    result = score_pair(PersonRecord(name="Piet Jansen", birth_date="1980-05-12"), PersonRecord(name="Piet Janssen", birth_date="12-05-1980"), model)
    bits = model.prior + sum(f.weight for f in result.explanation.features)
    assert abs(result.explanation.bits - bits) < 1e-9
    assert abs(result.score - model.score(bits)) < 1e-4
    assert _features(result) == {
        "bsn": "missing", "other_id": "missing", "surname": "similar", "given_name": "exact", "generation": "missing",
        "birth_date": "exact",
    }


def test_disagreement_weighs_against():
    same = score_pair(PersonRecord(name="Piet Jansen"), PersonRecord(name="Piet Jansen"))
    other = score_pair(PersonRecord(name="Piet Jansen"), PersonRecord(name="Kees Jansen"))
    assert _features(other)["given_name"] == "different"
    assert next(f.weight for f in other.explanation.features if f.name == "given_name") < 0
    assert other.score < 0.5 < same.score


def test_swapped_names_are_recognised():
    result = score_pair(PersonRecord(name="Jansen Piet"), PersonRecord(name="Piet Jansen"))
    assert result.is_match
    assert "name_order=swapped" in result.text()


def test_birth_date_transposition_and_typo_are_tolerated():
    for other, level in (("1990-07-04", "typo"), ("1990-04-08", "typo"), ("1990-04-07", "exact")):
        result = score_pair(PersonRecord(name="Noah Bakker", birth_date="1990-04-07"), PersonRecord(name="Noah Bakker", birth_date=other))
        assert _features(result)["birth_date"] == level
        assert result.is_match


def test_father_and_son_at_one_address_are_kept_apart():
    address = AddressRecord(text="Dorpsstraat 4, 7411 AB Deventer")
    result = score_pair(
        PersonRecord(name="Jan de Vries", birth_date="1952-03-14", address=address),
        PersonRecord(name="Jan de Vries", birth_date="1981-10-02", address=address),
    )
    assert not result.is_match
    assert result.text().startswith("veto birth_date=generation")
    junior = score_pair(PersonRecord(name="Piet Bakker sr."), PersonRecord(name="Piet Bakker jr."))
    assert not junior.is_match and "generation=conflict" in junior.text()


def test_twins_are_kept_apart_unless_an_identifier_agrees():
    twins = score_pair(PersonRecord(name="Sanne Visser", birth_date="1995-06-18"), PersonRecord(name="Lotte Visser", birth_date="1995-06-18"))
    assert not twins.is_match and "family=twins" in twins.text()
    same_id = score_pair(
        PersonRecord(name="Sanne Visser", birth_date="1995-06-18", other_id="A-1234"),
        PersonRecord(name="Lotte Visser", birth_date="1995-06-18", other_id="A-1234"),
    )
    assert same_id.explanation.vetoes == []


def test_a_valid_bsn_settles_and_two_valid_bsns_separate():
    same = score_pair(PersonRecord(name="Johanna Kuijpers", bsn="979748562"), PersonRecord(name="Annie Kuypers", bsn="979748562"))
    assert same.is_match and "bsn=same" in same.text()
    different = score_pair(PersonRecord(name="Jan de Vries", bsn="302569145"), PersonRecord(name="Jan de Vries", bsn="186558454"))
    assert not different.is_match and "veto bsn=different" in different.text()


def test_invalid_bsn_is_flagged_and_never_used_to_link():
    result = score_pair(PersonRecord(name="Piet Jansen", bsn="111222334"), PersonRecord(name="Kees Bakker", bsn="111222334"))
    assert _features(result)["bsn"] == "missing"  # not "same": an invalid number links nothing
    assert not result.is_match
    assert [(p.field, p.code) for p in result.problems] == [("1.bsn", "bsn.checksum"), ("2.bsn", "bsn.checksum")]
    assert "flags: bsn.checksum@1.bsn bsn.checksum@2.bsn" in result.text()


def test_impossible_birth_date_is_flagged_and_not_compared():
    result = score_pair(PersonRecord(name="Piet Jansen", birth_date="31-02-1980"), PersonRecord(name="Piet Jansen", birth_date="1980-02-28"))
    assert _features(result)["birth_date"] == "missing"
    assert [p.code for p in result.problems] == ["date.impossible"]
    assert "date.impossible@1.birth_date" in result.text()


def test_empty_names_are_rejected_never_matched():
    for a, b in ((PersonRecord(name=""), PersonRecord(name="")), (PersonRecord(name="  "), PersonRecord(name="Piet Jansen")),
                 (CompanyRecord(name="B.V."), CompanyRecord(name="B.V."))):
        result = score_pair(a, b)
        assert result.rejected
        assert not result.is_match and result.score == 0
        assert any(p.code == "name.empty" for p in result.problems)


def test_company_with_legal_form_spellings():
    result = score_pair(CompanyRecord(name="Autohandel Jansen B.V."), CompanyRecord(name="Autohandel Jansen Besloten Vennootschap"))
    assert result.is_match
    assert _features(result) == {"kvk": "missing", "iban": "missing", "company_name": "exact", "legal_form": "same"}
    conflict = score_pair(CompanyRecord(name="Autohandel Jansen B.V.", kvk="12345678"), CompanyRecord(name="Autohandel Jansen B.V.", kvk="23456789"))
    assert not conflict.is_match and "veto kvk=different" in conflict.text()


def test_another_door_is_another_address():
    same = score_pair(AddressRecord(text="Kerkstraat 12-a, 3511 LX Utrecht"), AddressRecord(text="Kerkstraat 12 A, 3511LX Utrecht"))
    assert same.is_match
    for other in ("Kerkstraat 12B, 3511 LX Utrecht", "Kerkstraat 14, 3511 LX Utrecht", "Kerkstraat 12, 3511 LX Utrecht"):
        result = score_pair(AddressRecord(text="Kerkstraat 12-a, 3511 LX Utrecht"), AddressRecord(text=other))
        assert not result.is_match, other
        assert "veto house_number=" in result.text()


def test_records_of_different_kinds_cannot_be_compared():
    import pytest

    with pytest.raises(ValueError):
        score_pair(PersonRecord(name="Piet Jansen"), CompanyRecord(name="Jansen BV"))


def test_a_nameless_record_links_only_through_an_agreeing_identifier():
    nameless = PersonRecord(name="", bsn="929180732", birth_date="1980-05-12")
    linked = score_pair(nameless, PersonRecord(name="Piet Jansen", bsn="929180732", birth_date="1980-05-12"))
    assert not linked.rejected and linked.is_match
    assert "name.empty@1.name" in linked.text()  # flagged, not silent
    unlinked = score_pair(PersonRecord(name="", birth_date="1980-05-12"), PersonRecord(name="Piet Jansen", birth_date="1980-05-12"))
    assert unlinked.rejected and unlinked.score == 0
