"""Records -> :class:`Prepared`: every value normalised once, every problem listed.

Preparing is the expensive part of matching (parsing names and addresses); a blocking index and
a scorer work on prepared records only, so each record is prepared once however many pairs it is in.
"""

from __future__ import annotations

from .addresses import parse_address
from .dates import parse_date
from .identifiers import check_bsn, check_iban, check_kvk
from .names import check_person_name, parse_company_name, parse_person_name
from .records import AddressRecord, CompanyRecord, PersonRecord, Prepared, Problem


def prepare(record, prefix: str = "") -> Prepared:
    """Normalise a :class:`PersonRecord`, :class:`CompanyRecord` or :class:`AddressRecord`.

    ``prefix`` goes before the field names in problems (``"1."`` for the first record of a pair)."""
    if isinstance(record, PersonRecord):
        return _person(record, prefix)
    if isinstance(record, CompanyRecord):
        return _company(record, prefix)
    if isinstance(record, AddressRecord):
        return _address(record, prefix)
    raise TypeError(f"cannot prepare {type(record).__name__}")


def _with_address(values: dict, problems: list[Problem], address: AddressRecord | None, prefix: str) -> None:
    if address is None:
        values["address"] = None
        return
    parsed, found = parse_address(address, f"{prefix}address")
    values["address"] = None if parsed.is_empty else parsed
    problems += found


def _person(record: PersonRecord, prefix: str) -> Prepared:
    problems: list[Problem] = []
    name = parse_person_name(record.name, record.given_names, record.surname)
    problems += check_person_name(name, f"{prefix}name")
    birth_date, found = parse_date(record.birth_date, f"{prefix}birth_date")
    problems += found
    bsn, found = check_bsn(record.bsn, f"{prefix}bsn")
    problems += found
    values = {"name": name, "birth_date": birth_date, "bsn": bsn, "other_id": (record.other_id or "").strip()}
    _with_address(values, problems, record.address, prefix)
    return Prepared("person", record, values, problems)


def _company(record: CompanyRecord, prefix: str) -> Prepared:
    problems: list[Problem] = []
    name = parse_company_name(record.name, record.legal_form)
    if not name.core:
        problems.append(Problem(f"{prefix}name", "name.empty", "De naam is leeg."))
    kvk, found = check_kvk(record.kvk, f"{prefix}kvk")
    problems += found
    iban, found = check_iban(record.iban, f"{prefix}iban")
    problems += found
    values = {"name": name, "kvk": kvk, "iban": iban}
    _with_address(values, problems, record.address, prefix)
    return Prepared("company", record, values, problems)


def _address(record: AddressRecord, prefix: str) -> Prepared:
    parsed, problems = parse_address(record, f"{prefix}address")
    if parsed.is_empty:
        problems.append(Problem(f"{prefix}address", "address.empty", "Het adres is leeg."))
    return Prepared("address", record, {"address": None if parsed.is_empty else parsed}, problems)


def is_usable(prepared: Prepared) -> bool:
    """False when the record has an empty name or address. Such a record is rejected — never
    matched — unless it carries a valid identifier that agrees with the other record's (see
    :func:`regie.matching.scorer.score_prepared`). A name without a surname is only flagged."""
    return not any(p.code in ("name.empty", "address.empty") for p in prepared.problems)


def has_identifier(prepared: Prepared) -> bool:
    return any(prepared.values.get(key) for key in ("bsn", "kvk", "other_id"))
