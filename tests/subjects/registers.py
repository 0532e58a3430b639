"""Fictitious register extracts for the import tests (generated; never real data)."""

from __future__ import annotations

_BSNS: list[str] = []
_NEXT = [10_000_000]  # the next eight-digit prefix to try


def bsn(n: int) -> str:
    """The n-th nine-digit number (from 100000000 up) that passes the elfproef (fictitious)."""
    while len(_BSNS) <= n:
        prefix = _NEXT[0]
        _NEXT[0] += 1
        check = sum(int(d) * w for d, w in zip(str(prefix), range(9, 1, -1))) % 11
        if check < 10:
            _BSNS.append(f"{prefix}{check}")
    return _BSNS[n]


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ";") -> bytes:
    return "\r\n".join(delimiter.join(line) for line in [header, *rows]).encode("utf-8")


BRP_HEADER = ["bsn", "voornamen", "voorletters", "tussenvoegsel", "achternaam", "geboortedatum", "straat", "huisnummer",
              "huisletter", "toevoeging", "postcode", "plaats"]


def brp_rows(count: int, start: int = 0) -> list[list[str]]:
    return [
        [bsn(start + i), "Jan Pieter", "", "van der" if i % 3 == 0 else "", f"Testpersoon{start + i}",
         f"{1 + i % 28:02d}-{1 + i % 12:02d}-{1950 + i % 50}", "Proefstraat", str(1 + i % 200), "", "",
         f"{1000 + i % 50} AB", "Aastad"]
        for i in range(count)
    ]


BAG_HEADER = ["nummeraanduiding_id", "verblijfsobject_id", "pand_id", "straat", "huisnummer", "huisletter", "toevoeging",
              "postcode", "plaats", "buurtcode", "breedtegraad", "lengtegraad"]


def bag_rows(count: int) -> list[list[str]]:
    return [
        [f"99992000000{i:05d}", f"99990100000{i:05d}", f"99991000000{i:05d}", "Proefstraat", str(i + 1), "", "",
         "1234AB", "Aastad", "", "52,1", "5.2"]
        for i in range(count)
    ]


KVK_HEADER = ["kvk_nummer", "vestigingsnummer", "naam", "rechtsvorm", "rsin", "handelsnamen", "sbi_code", "straat",
              "huisnummer", "huisletter", "toevoeging", "postcode", "plaats", "functionaris_naam",
              "functionaris_geboortedatum", "functie", "functie_vanaf", "functie_tot"]

KVK_ROWS = [
    ["90000001", "000090000001", "Proefhandel", "B.V.", bsn(900), "Proefhandel|Snack Proef", "5610", "Marktplein", "3",
     "", "", "1234 AB", "Aastad", "Jan van der Test", "01-02-1970", "bestuurder", "01-01-2020", ""],
    ["90000001", "000090000001", "Proefhandel", "B.V.", bsn(900), "Proefhandel|Snack Proef", "5610", "Marktplein", "3",
     "", "", "1234 AB", "Aastad", "Piet Proef", "03-04-1980", "gevolmachtigde", "01-06-2021", "31-12-2023"],
    ["90000002", "", "Stichting Proefwerk", "stichting", "", "", "9499", "", "", "", "", "", "", "", "", "", "", ""],
]
