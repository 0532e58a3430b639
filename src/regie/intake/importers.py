"""Bulk intake: Meld Misdaad Anoniem (MMA) reports and CSV files of signals.

The formats are documented, with an example each, in ``docs/import-formats.md``.

The module has two halves:

* **Parsing** (:func:`parse_mma`, :func:`parse_mma_email`, :func:`parse_mma_upload`,
  :func:`parse_csv`) is pure: bytes in, a list of :class:`Parsed` rows out, each carrying a
  :class:`~regie.intake.services.SignalInput`. It touches no database. Bad input raises
  :class:`ImportRejected` carrying *every* error found, line-numbered and in Dutch; it never
  raises anything else, whatever the bytes (``tests/intake_import/test_fuzz.py``).
* **Writing** (:func:`import_mma`, :func:`import_csv`) checks what only the database knows (the
  municipality's theme catalogue, Meldingnummers already imported), then registers every row
  through :func:`regie.intake.services.register` inside one transaction: all rows or none. It
  returns an :class:`ImportResult` with the created references or the errors, and writes one
  audit entry for the import as a whole (``register`` audits each signal).
"""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.access import Access
from regie.subjects.lookup import split_name
from regie.subjects.validators import normalise_postcode, validate_bsn, validate_kvk

from . import services
from .models import Channel, Signal
from .services import AddressInput, MentionInput, SignalInput

#: refuse files above this size; split them instead
MAX_BYTES = 5 * 1024 * 1024
#: refuse files with more signals than this (MMA reports or CSV data rows)
MAX_ROWS = 5000
#: Signal.text holds at most this many characters
TEXT_MAX = Signal._meta.get_field("text").max_length
#: the import page lists at most this many errors (the result keeps them all)
ERRORS_SHOWN = 1000

MMA = "mma"
CSV = "csv"


# --- results and errors ------------------------------------------------------------------------


@dataclass(frozen=True)
class LineError:
    """One problem, on a line of the file (``line`` None: the file as a whole)."""

    line: int | None
    message: str
    #: where the line numbers count from, e.g. "van de berichttekst" for an e-mail
    part: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"regel {self.line}" + (f" {self.part}" if self.part else "")
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    """The file cannot be imported; ``errors`` lists every problem found. Nothing was written."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda e: (e.line is not None, e.line or 0))
        super().__init__("\n".join(str(e) for e in self.errors))

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


@dataclass
class Parsed:
    """One signal read from a file: where it starts, what to register, the sender's number."""

    line: int
    signal: SignalInput
    external_reference: str = ""


@dataclass(frozen=True)
class Created:
    pk: int
    reference: str
    line: int
    external_reference: str = ""


@dataclass
class ImportResult:
    kind: str  # "mma" or "csv"
    created: list[Created] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def references(self) -> list[str]:
        return [c.reference for c in self.created]

    @property
    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]


# --- shared helpers ----------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})\Z")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\Z")
_POSTCODE_CITY = re.compile(r"^(?P<postcode>[0-9]{4}\s?[A-Za-z]{2})(?:\s+(?P<city>\S.*))?\Z")
_STREET_NUMBER = re.compile(r"^(?P<street>.*\S)\s+(?P<number>[0-9]{1,5})(?P<suffix>[A-Za-z0-9 -]{0,10})\Z")
_ADDITION = re.compile(r"^[A-Z0-9]{1,4}\Z")
_PLATE = re.compile(r"^[A-Z0-9]{4,8}\Z")

STREET_MAX = 120
CITY_MAX = 80
NAME_MAX = 200
COMPANY_MAX = 200
#: an MMA field other than Omschrijving is a short value (this also keeps the regexes fast)
FIELD_MAX = 300


def _short(value: str, limit: int = 40) -> str:
    """A value quoted back in an error message, cut short."""
    value = value.strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _first_message(exc: ValidationError) -> str:
    """A Django validator's message, lower-cased to follow 'regel n: '."""
    text = " ".join(exc.messages).strip().rstrip(".")
    return text[:1].lower() + text[1:]


def decode(data: bytes | str) -> str:
    """UTF-8 text (a BOM is dropped) with \\n line ends, or :class:`ImportRejected`."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            raise ImportRejected([LineError(None, "De tekst bevat ongeldige tekens.")]) from None
    if len(data) > MAX_BYTES:
        raise ImportRejected([LineError(None, f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB. Splits het in kleinere bestanden.")])
    if b"\x00" in data:
        raise ImportRejected([LineError(None, (
            "Het bestand is geen tekstbestand in UTF-8 (het bevat binaire gegevens, of is bijvoorbeeld in UTF-16 "
            "opgeslagen). Sla het op als ‘CSV UTF-8’ of als tekst in UTF-8."
        ))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([LineError(line, (
            "het bestand is niet in UTF-8 gecodeerd; sla het op als ‘CSV UTF-8’ of als tekst in UTF-8"
        ))]) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        raise ImportRejected([LineError(line, "het bestand bevat stuurtekens; het is geen gewoon tekstbestand")])
    if not text.strip():
        raise ImportRejected([LineError(None, "Het bestand is leeg.")])
    return text


def _make_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    """'01-02-1980' (dd-mm-jjjj) or '1980-02-01'; None when it is no date."""
    value = value.strip()
    if m := _DATE.match(value):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _ISO_DATE.match(value):
        return _make_date(int(m[3]), int(m[2]), int(m[1]))
    return None


def parse_datetime(value: str) -> datetime | None:
    """A date with an optional time ('03-03-2026 14:30', '2026-03-03T14:30'), in Dutch local time."""
    value = value.strip()
    day_part, _, time_part = value.replace("T", " ", 1).partition(" ")
    day = parse_date(day_part)
    if day is None:
        return None
    moment = time.min
    if time_part.strip():
        m = _TIME.match(time_part.strip())
        if not m:
            return None
        try:
            moment = time(int(m[1]), int(m[2]), int(m[3] or 0))
        except ValueError:
            return None
    try:
        return timezone.make_aware(datetime.combine(day, moment))
    except (ValueError, OverflowError):  # pragma: no cover - dates at the edge of the calendar
        return None


def parse_house_number_suffix(suffix: str) -> tuple[str, str] | None:
    """'a' -> ('A', ''); '-2' -> ('', '2'); 'a-1' -> ('A', '1'); 'bis' -> ('', 'BIS'); None if invalid."""
    s = suffix.strip().upper().lstrip("-").strip()
    if not s:
        return "", ""
    letter = ""
    if s[0].isascii() and s[0].isalpha() and (len(s) == 1 or s[1] in " -"):
        letter, s = s[0], s[1:].strip(" -")
    if s and not _ADDITION.match(s):
        return None
    return letter, s


def person_name_problem(name: str) -> str:
    """Why ``name`` cannot be a person's name in the registry ('' if it can)."""
    if not any(ch.isalpha() for ch in name):
        return "de naam van een persoon moet letters bevatten"
    if len(name) > NAME_MAX:
        return f"de naam is langer dan {NAME_MAX} tekens"
    first, _, surname = split_name(name)
    if len(first) > 120 or len(surname) > 120:
        return "een voornaam of achternaam is langer dan 120 tekens"
    return ""


def birth_date_problem(day: date) -> str:
    if day > timezone.localdate():
        return "de geboortedatum ligt in de toekomst"
    if day.year < 1900:
        return "de geboortedatum ligt voor 1900"
    return ""


def plate_or_problem(value: str) -> tuple[str, str]:
    """('12ABC3', '') or ('', why not)."""
    cleaned = "".join(ch for ch in value.upper() if ch not in " -.")
    if not _PLATE.match(cleaned):
        return "", f"geen geldig kenteken ‘{_short(value, 20)}’ (4 tot 8 letters en cijfers)"
    return services.normalise_plate(cleaned), ""


def _fold(text: str) -> str:
    normal = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in normal if not unicodedata.combining(c))


# --- Meld Misdaad Anoniem ----------------------------------------------------------------------

#: MMA's "Onderwerp" → standard theme codes. A keyword matches at the start of a word
#: ("hennep" matches "hennepkwekerij"); several may match; none leaves the signal without theme.
MMA_SUBJECT_THEMES: list[tuple[str, str]] = [
    ("hennep", "drugs-productie"),
    ("wietkwekerij", "drugs-productie"),
    ("wietplantage", "drugs-productie"),
    ("drugslab", "drugs-productie"),
    ("synthetische drugs", "drugs-productie"),
    ("drugsproductie", "drugs-productie"),
    ("drugshandel", "drugs-handel"),
    ("handel in drugs", "drugs-handel"),
    ("drugssmokkel", "drugs-handel"),
    ("drugsdeal", "drugs-dealen"),
    ("deal", "drugs-dealen"),
    ("mensenhandel", "mensenhandel"),
    ("mensensmokkel", "mensenhandel"),
    ("arbeidsuitbuiting", "arbeidsuitbuiting"),
    ("seksuele uitbuiting", "seksuele-uitbuiting"),
    ("gedwongen prostitutie", "seksuele-uitbuiting"),
    ("illegale prostitutie", "illegale-prostitutie"),
    ("witwassen", "witwassen"),
    ("zorgfraude", "zorgfraude"),
    ("uitkeringsfraude", "uitkeringsfraude"),
    ("bijstandsfraude", "uitkeringsfraude"),
    ("autohandel", "autobranche"),
    ("autobedrijf", "autobranche"),
    ("horeca", "horeca"),
    ("huisjesmelker", "vastgoed"),
    ("vastgoedfraude", "vastgoed"),
    ("explosie", "explosies-geweld"),
    ("aanslag", "explosies-geweld"),
]


def themes_for_subject(subject: str) -> list[str]:
    """Theme codes for an MMA "Onderwerp", in table order, without duplicates."""
    folded = _fold(subject)
    codes: list[str] = []
    for keyword, code in MMA_SUBJECT_THEMES:
        if code not in codes and re.search(r"\b" + re.escape(keyword), folded):
            codes.append(code)
    return codes


MMA_FIELDS = {
    "meldingnummer": "Meldingnummer",
    "datum melding": "Datum melding",
    "datum delict": "Datum delict",
    "onderwerp": "Onderwerp",
    "plaats delict": "Plaats delict",
    "betrokkene": "Betrokkene",
    "bedrijf": "Bedrijf",
    "voertuig": "Voertuig",
    "omschrijving": "Omschrijving",
}
MMA_REPEATABLE = {"betrokkene", "bedrijf", "voertuig"}
MMA_REQUIRED = ("meldingnummer", "datum melding", "omschrijving")

_MMA_SEPARATOR = re.compile(r"^\s*-{3,}\s*$")
_MMA_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,29}?)\s*:(.*)$")
_MMA_NUMBER = re.compile(r"^MMA-[0-9]{4}-[0-9]{1,8}\Z")
_BORN = re.compile(r"^geboren(?:\s+op)?\s*:?\s*(?P<date>.*)$", re.IGNORECASE)
_KVK_TAIL = re.compile(r"^(?P<name>.*?)\s*,\s*kvk(?:[- ]?nummer)?\s*:?\s*(?P<kvk>[^,]*?)\s*$", re.IGNORECASE)


def _mma_key(line: str) -> tuple[str | None, str, re.Match | None]:
    """(known field key or None, value, match of a 'Something:' line or None)."""
    m = _MMA_KEY.match(line)
    if not m:
        return None, "", None
    key = " ".join(m[1].lower().split())
    return (key if key in MMA_FIELDS else None), m[2].strip(), m


def _parse_address(value: str) -> tuple[AddressInput | None, str]:
    """'Kerkstraat 12a, 7901 AB Ravenstede' -> AddressInput, or (None, why not)."""
    usage = "schrijf het adres als ‘Kerkstraat 12a, 7901 AB Ravenstede’"
    street_part, comma, rest = value.partition(",")
    street_match = _STREET_NUMBER.match(street_part.strip())
    place_match = _POSTCODE_CITY.match(" ".join(rest.split()).strip(" ,"))
    if not comma or not street_match or not place_match:
        return None, f"geen herkenbaar adres ‘{_short(value)}’; {usage}"
    try:
        postcode = normalise_postcode(place_match["postcode"])
    except ValidationError as exc:
        return None, _first_message(exc)
    suffix = parse_house_number_suffix(street_match["suffix"])
    if suffix is None:
        return None, f"geen geldige huisletter of toevoeging ‘{_short(street_match['suffix'], 12)}’ (hoogstens 4 letters of cijfers)"
    number = int(street_match["number"])
    if number < 1:
        return None, "een huisnummer begint bij 1"
    street, city = street_match["street"].strip(), (place_match["city"] or "").strip()
    if len(street) > STREET_MAX:
        return None, f"de straatnaam is langer dan {STREET_MAX} tekens"
    if len(city) > CITY_MAX:
        return None, f"de plaatsnaam is langer dan {CITY_MAX} tekens"
    letter, addition = suffix
    return AddressInput(postcode=postcode, house_number=number, house_letter=letter, addition=addition,
                        street=street, city=city), ""


def _parse_person(value: str) -> tuple[MentionInput | None, str]:
    usage = "schrijf ‘naam, geboren dd-mm-jjjj’ en zet andere kenmerken in de Omschrijving"
    parts = [p.strip() for p in value.split(",")]
    name, birth = parts[0], None
    if len(parts) > 2:
        return None, usage
    if len(parts) == 2:
        born = _BORN.match(parts[1])
        if not born:
            return None, usage
        birth = parse_date(born["date"])
        if birth is None:
            return None, f"geen geldige geboortedatum ‘{_short(born['date'], 20)}’ (verwacht dd-mm-jjjj)"
        if problem := birth_date_problem(birth):
            return None, problem
    if problem := person_name_problem(name):
        return None, problem
    return MentionInput(kind="persoon", name=name, birth_date=birth), ""


def _parse_company(value: str) -> tuple[MentionInput | None, str]:
    name, kvk = value.strip(), ""
    if m := _KVK_TAIL.match(value):
        name, kvk = m["name"].strip(), m["kvk"].replace(" ", "").replace(".", "")
        try:
            validate_kvk(kvk)
        except ValidationError as exc:
            return None, _first_message(exc)
        if not kvk:
            return None, "vul na ‘KvK’ het KvK-nummer in (acht cijfers)"
    if not name and not kvk:
        return None, "vul de naam of het KvK-nummer van het bedrijf in"
    if len(name) > COMPANY_MAX:
        return None, f"de bedrijfsnaam is langer dan {COMPANY_MAX} tekens"
    return MentionInput(kind="bedrijf", name=name, kvk_number=kvk), ""


def parse_mma(data: bytes | str) -> list[Parsed]:
    """MMA reports in plain text (see docs/import-formats.md); :class:`ImportRejected` if any is bad."""
    return _parse_mma_text(decode(data))


def _parse_mma_text(text: str, *, part: str = "", lenient: bool = False) -> list[Parsed]:
    lines = text.split("\n")
    if lenient:
        lines = _email_body_lines(lines)
    errors: list[LineError] = []

    def error(line: int, message: str) -> None:
        errors.append(LineError(line, message, part))

    blocks: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(lines, start=1):
        if _MMA_SEPARATOR.match(line):
            blocks.append([])
        else:
            blocks[-1].append((number, line))
    blocks = [b for b in blocks if any(line.strip() for _, line in b)]
    if not blocks:
        raise ImportRejected([LineError(None, "Het bestand bevat geen meldingen. Elke melding begint met ‘Meldingnummer:’.")])
    if len(blocks) > MAX_ROWS:
        raise ImportRejected([LineError(None, f"Het bestand bevat meer dan {MAX_ROWS} meldingen; splits het in kleinere bestanden.")])

    parsed: list[Parsed] = []
    seen: dict[str, int] = {}
    for block in blocks:
        report = _parse_mma_block(block, error)
        if report is None:
            continue
        if report.external_reference in seen:
            error(report.line, (
                f"Meldingnummer {report.external_reference} staat twee keer in dit bestand "
                f"(ook in de melding op regel {seen[report.external_reference]})"
            ))
            continue
        seen[report.external_reference] = report.line
        parsed.append(report)
    if errors:
        raise ImportRejected(errors)
    return parsed


def _email_body_lines(lines: list[str]) -> list[str]:
    """In an e-mail, ignore a greeting before the first report and a signature after '-- '."""
    out = list(lines)
    first = next((i for i, line in enumerate(out) if _mma_key(line)[0] == "meldingnummer"), None)
    if first is None:
        return out
    for i in range(first):
        out[i] = ""
    for i in range(first, len(out)):
        if out[i].rstrip() == "--":
            for j in range(i, len(out)):
                out[j] = ""
            break
    return out


def _parse_mma_block(block: list[tuple[int, str]], error) -> Parsed | None:
    start = next(number for number, line in block if line.strip())
    values: dict[str, list[tuple[int, str]]] = {}
    description: list[str] | None = None
    in_description = False
    failed = False
    for number, line in block:
        key, value, match = _mma_key(line)
        if key is not None:
            in_description = key == "omschrijving"
            if key in values and key not in MMA_REPEATABLE:
                error(number, f"{MMA_FIELDS[key]} staat twee keer in deze melding")
                failed = True
                continue
            values.setdefault(key, []).append((number, value))
            if in_description:
                description = [value]
            continue
        if in_description:
            description.append(line.rstrip())
        elif not line.strip():
            continue
        elif match is not None:
            error(number, f"onbekend veld ‘{_short(match[1], 30)}’; bekende velden zijn {', '.join(MMA_FIELDS.values())}")
            failed = True
        else:
            error(number, "tekst buiten een veld; begin een omschrijving met ‘Omschrijving:’")
            failed = True

    for key, entries in values.items():
        if key == "omschrijving":
            continue
        for line_number, raw in entries:
            if len(raw) > FIELD_MAX:
                error(line_number, f"{MMA_FIELDS[key]} is langer dan {FIELD_MAX} tekens")
                failed = True
        values[key] = [(n, raw) for n, raw in entries if len(raw) <= FIELD_MAX]
    values = {key: entries for key, entries in values.items() if entries}

    for key in MMA_REQUIRED:
        if key not in values:
            error(start, f"{MMA_FIELDS[key]} ontbreekt in de melding die op deze regel begint")
            failed = True

    def single(key: str) -> tuple[int, str]:
        return values.get(key, [(start, "")])[0]

    number_line, raw_number = single("meldingnummer")
    external = raw_number.strip().upper()
    if "meldingnummer" in values and not _MMA_NUMBER.match(external):
        error(number_line, f"geen geldig Meldingnummer ‘{_short(raw_number, 30)}’ (verwacht MMA-jjjj-nnnnnn, bijvoorbeeld MMA-2026-004512)")
        failed = True

    received_line, raw_received = single("datum melding")
    received_day = parse_date(raw_received) if "datum melding" in values else None
    if "datum melding" in values:
        if received_day is None:
            error(received_line, f"geen geldige Datum melding ‘{_short(raw_received, 20)}’ (verwacht dd-mm-jjjj)")
            failed = True
        elif received_day > timezone.localdate():
            error(received_line, "Datum melding ligt in de toekomst")
            failed = True

    reported_on = None
    if "datum delict" in values:
        delict_line, raw_delict = single("datum delict")
        reported_on = parse_date(raw_delict)
        if reported_on is None:
            error(delict_line, f"geen geldige Datum delict ‘{_short(raw_delict, 20)}’ (verwacht dd-mm-jjjj)")
            failed = True
        elif received_day is not None and reported_on > received_day:
            error(delict_line, "Datum delict ligt na Datum melding")
            failed = True

    address = None
    if "plaats delict" in values:
        place_line, raw_place = single("plaats delict")
        address, problem = _parse_address(raw_place)
        if problem:
            error(place_line, f"{problem} (bij Plaats delict)")
            failed = True

    mentions: list[MentionInput] = []
    for key, parse, label in (("betrokkene", _parse_person, "Betrokkene"), ("bedrijf", _parse_company, "Bedrijf")):
        for line_number, raw in values.get(key, []):
            mention, problem = parse(raw)
            if problem:
                error(line_number, f"{problem} (bij {label})")
                failed = True
            else:
                mentions.append(mention)
    for line_number, raw in values.get("voertuig", []):
        plate, problem = plate_or_problem(raw)
        if problem:
            error(line_number, f"{problem} (bij Voertuig)")
            failed = True
        else:
            mentions.append(MentionInput(kind="voertuig", plate=plate))

    subject = single("onderwerp")[1] if "onderwerp" in values else ""
    body = "\n".join(description or []).strip("\n").strip()
    if "omschrijving" in values and not body:
        error(single("omschrijving")[0], "Omschrijving is leeg")
        failed = True
    text = (f"Onderwerp: {subject}\n\n" if subject else "") + body
    if len(text) > TEXT_MAX:
        error(single("omschrijving")[0], f"de omschrijving is langer dan {TEXT_MAX} tekens")
        failed = True
    if failed:
        return None
    signal = SignalInput(
        channel=Channel.MMA, text=text, anonymous=True, reported_on=reported_on,
        received_at=timezone.make_aware(datetime.combine(received_day, time.min)),
        address=address, theme_codes=themes_for_subject(subject), mentions=mentions,
    )
    return Parsed(line=number_line, signal=signal, external_reference=external)


_EMAIL_HEADER = re.compile(
    r"^(from|to|cc|subject|date|received|return-path|mime-version|message-id|delivered-to|content-type|reply-to|sender|x-[a-z0-9-]+)\s*:",
    re.IGNORECASE,
)


def looks_like_email(data: bytes, filename: str = "") -> bool:
    """An .eml file, or text that starts with an e-mail header (From:, Subject:, Received: …)."""
    if filename.lower().endswith(".eml"):
        return True
    head = data[:2000].lstrip(b"\xef\xbb\xbf").lstrip()
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    return bool(_EMAIL_HEADER.match(first))


def parse_mma_email(data: bytes) -> list[Parsed]:
    """An e-mail (.eml) whose text body holds MMA reports; line numbers count in the body."""
    if isinstance(data, str):
        data = decode(data).encode("utf-8")
    if len(data) > MAX_BYTES:
        decode(data)  # raises the size error
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        try:
            body = part.get_content() if part is not None else None
        except LookupError:  # a character set Python does not know: try UTF-8
            body = decode(part.get_payload(decode=True) or b"")
    except ImportRejected:
        raise
    except Exception:  # noqa: BLE001 - the stdlib parser has many failure modes on malformed mail
        raise ImportRejected([LineError(None, "De e-mail kan niet worden gelezen. Sla het bericht op als .eml-bestand.")]) from None
    if not isinstance(body, str) or not body.strip():
        raise ImportRejected([LineError(None, "De e-mail heeft geen tekst (text/plain) met meldingen.")])
    return _parse_mma_text(decode(body), part="van de berichttekst", lenient=True)


def parse_mma_upload(data: bytes, filename: str = "") -> list[Parsed]:
    """Plain text or e-mail, whichever the upload is."""
    if isinstance(data, str):
        data = decode(data).encode("utf-8")
    if looks_like_email(data, filename):
        return parse_mma_email(data)
    return parse_mma(data)


# --- CSV ---------------------------------------------------------------------------------------

#: column → (required, Dutch description); the header names these (any order, case-insensitive)
CSV_COLUMNS: dict[str, tuple[bool, str]] = {
    "ontvangen_op": (True, "datum (en tijd) van ontvangst"),
    "kanaal": (True, "kanaalcode"),
    "omschrijving": (True, "wat er gemeld is"),
    "datum_waarneming": (False, "datum waarneming"),
    "postcode": (False, "postcode"),
    "huisnummer": (False, "huisnummer"),
    "toevoeging": (False, "huisletter of toevoeging"),
    "straat": (False, "straat"),
    "plaats": (False, "plaats"),
    "themas": (False, "themacodes, gescheiden door |"),
    "hardheid": (False, "feit of indicatie"),
    "zwaarte": (False, "laag, midden of hoog"),
    "anoniem": (False, "ja of nee"),
    "persoon_naam": (False, "naam van een betrokken persoon"),
    "persoon_geboortedatum": (False, "geboortedatum"),
    "persoon_bsn": (False, "burgerservicenummer"),
    "bedrijf_naam": (False, "naam van een betrokken bedrijf"),
    "bedrijf_kvk": (False, "KvK-nummer"),
    "kenteken": (False, "kenteken"),
}
_TRUE = {"ja", "j", "true", "waar", "1", "x"}
_FALSE = {"", "nee", "n", "false", "onwaar", "0"}
_THEME_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}\Z")


def _column_name(raw: str) -> str:
    """'Thema’s ' -> 'themas'; 'Ontvangen op' -> 'ontvangen_op'."""
    name = raw.strip().lower().replace("'", "").replace("’", "")
    return "_".join(name.replace("-", " ").split())


def sniff_delimiter(header_line: str) -> str:
    """';' (Dutch Excel) or ',' — whichever the header row uses more."""
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def parse_csv(data: bytes | str) -> list[Parsed]:
    """Rows of signals (see docs/import-formats.md); :class:`ImportRejected` with every error otherwise.

    Theme codes are checked for form here and against the municipality's catalogue in
    :func:`import_csv`, which has the database.
    """
    text = decode(data)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    errors: list[LineError] = []
    parsed: list[Parsed] = []
    try:
        header_cells = next(reader, None)
        header = [_column_name(c) for c in header_cells or []]
        _check_header(header, errors)
        if errors:
            raise ImportRejected(errors)
        rows = 0
        previous_end = reader.line_num
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise ImportRejected([LineError(None, f"Het bestand bevat meer dan {MAX_ROWS} signalen; splits het in kleinere bestanden.")])
            if len(cells) != len(header):
                errors.append(LineError(line, (
                    f"{len(cells)} velden in plaats van {len(header)}; "
                    f"controleer het scheidingsteken ‘{delimiter}’ en de aanhalingstekens"
                )))
                continue
            row = dict(zip(header, (c.strip() for c in cells)))
            signal, problems = _parse_csv_row(row)
            errors.extend(LineError(line, p) for p in problems)
            if signal is not None:
                parsed.append(Parsed(line=line, signal=signal))
    except csv.Error as exc:
        errors.append(LineError(reader.line_num or 1, f"het bestand kan niet als CSV worden gelezen ({_short(str(exc), 60)})"))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([LineError(None, "Het bestand bevat geen signalen, alleen een kopregel.")])
    return parsed


def _check_header(header: list[str], errors: list[LineError]) -> None:
    if not any(header):
        errors.append(LineError(1, "de eerste regel moet een kopregel met kolomnamen zijn"))
        return
    for alias, name in (("thema", "themas"),):
        header[:] = [name if h == alias else h for h in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        errors.append(LineError(1, (
            f"onbekende kolom{'men' if len(unknown) > 1 else ''} {', '.join(_short(u, 30) or '(leeg)' for u in unknown)}; "
            f"bekende kolommen zijn {', '.join(CSV_COLUMNS)}"
        )))
    doubles = sorted({h for h in header if header.count(h) > 1 and h in CSV_COLUMNS})
    if doubles:
        errors.append(LineError(1, f"kolom {', '.join(doubles)} staat meer dan eens in de kopregel"))
    missing = [name for name, (required, _) in CSV_COLUMNS.items() if required and name not in header]
    if missing:
        errors.append(LineError(1, f"de kopregel mist de verplichte kolom{'men' if len(missing) > 1 else ''} {', '.join(missing)}"))


def _parse_csv_row(row: dict[str, str]) -> tuple[SignalInput | None, list[str]]:
    problems: list[str] = []
    get = lambda name: row.get(name, "")  # noqa: E731

    received_at = parse_datetime(get("ontvangen_op"))
    if not get("ontvangen_op"):
        problems.append("ontvangen_op is leeg")
    elif received_at is None:
        problems.append(f"geen geldige datum ‘{_short(get('ontvangen_op'), 20)}’ in kolom ontvangen_op (verwacht dd-mm-jjjj of dd-mm-jjjj uu:mm)")
    elif received_at > timezone.now():
        problems.append("ontvangen_op ligt in de toekomst")

    channel = get("kanaal").lower()
    if not channel:
        problems.append("kanaal is leeg")
    elif channel not in Channel.values:
        problems.append(f"onbekend kanaal ‘{_short(channel, 20)}’; kies uit {', '.join(Channel.values)}")

    text = get("omschrijving")
    if not text:
        problems.append("omschrijving is leeg")
    elif len(text) > TEXT_MAX:
        problems.append(f"de omschrijving is langer dan {TEXT_MAX} tekens")

    reported_on = None
    if get("datum_waarneming"):
        reported_on = parse_date(get("datum_waarneming"))
        if reported_on is None:
            problems.append(f"geen geldige datum ‘{_short(get('datum_waarneming'), 20)}’ in kolom datum_waarneming (verwacht dd-mm-jjjj)")
        elif received_at is not None and reported_on > timezone.localtime(received_at).date():
            problems.append("datum_waarneming ligt na ontvangen_op")

    address = _csv_address(row, problems)

    themes = [c.strip().lower() for c in get("themas").split("|") if c.strip()]
    for code in themes:
        if not _THEME_CODE.match(code):
            problems.append(f"onbekend thema ‘{_short(code, 30)}’ in kolom thema's (gebruik themacodes, gescheiden door |)")

    hardness = get("hardheid").lower() or Signal.Hardness.INDICATION
    if hardness not in Signal.Hardness.values:
        problems.append(f"onbekende hardheid ‘{_short(hardness, 20)}’; kies feit of indicatie")
    severity = get("zwaarte").lower() or Signal.Severity.MEDIUM
    if severity not in Signal.Severity.values:
        problems.append(f"onbekende zwaarte ‘{_short(severity, 20)}’; kies laag, midden of hoog")

    anonymous = get("anoniem").lower()
    if anonymous not in _TRUE | _FALSE:
        problems.append(f"‘{_short(anonymous, 20)}’ in kolom anoniem; vul ja of nee in")

    mentions = _csv_mentions(row, problems)
    if problems:
        return None, problems
    return SignalInput(
        channel=channel, text=text, received_at=received_at, reported_on=reported_on,
        anonymous=anonymous in _TRUE or channel == Channel.MMA, address=address, theme_codes=themes,
        hardness=hardness, severity=severity, mentions=mentions,
    ), []


def _csv_address(row: dict[str, str], problems: list[str]) -> AddressInput | None:
    get = lambda name: row.get(name, "")  # noqa: E731
    if not any(get(c) for c in ("postcode", "huisnummer", "toevoeging", "straat", "plaats")):
        return None
    if not (get("postcode") and get("huisnummer")):
        problems.append("vul voor een adres zowel postcode als huisnummer in")
        return None
    failed = False
    try:
        postcode = normalise_postcode(get("postcode"))
    except ValidationError as exc:
        problems.append(f"{_first_message(exc)} in kolom postcode")
        failed = True
    number = get("huisnummer")
    if not re.fullmatch(r"[0-9]{1,5}", number) or int(number) < 1:
        problems.append(f"geen geldig huisnummer ‘{_short(number, 12)}’ (een getal van 1 tot 99999)")
        failed = True
    suffix = parse_house_number_suffix(get("toevoeging"))
    if suffix is None:
        problems.append(f"geen geldige huisletter of toevoeging ‘{_short(get('toevoeging'), 12)}’ (hoogstens 4 letters of cijfers)")
        failed = True
    if len(get("straat")) > STREET_MAX:
        problems.append(f"de straatnaam is langer dan {STREET_MAX} tekens")
        failed = True
    if len(get("plaats")) > CITY_MAX:
        problems.append(f"de plaatsnaam is langer dan {CITY_MAX} tekens")
        failed = True
    if failed:
        return None
    return AddressInput(postcode=postcode, house_number=int(number), house_letter=suffix[0], addition=suffix[1],
                        street=get("straat"), city=get("plaats"))


def _csv_mentions(row: dict[str, str], problems: list[str]) -> list[MentionInput]:
    get = lambda name: row.get(name, "")  # noqa: E731
    mentions: list[MentionInput] = []
    name, born, bsn = get("persoon_naam"), get("persoon_geboortedatum"), get("persoon_bsn")
    if name or born or bsn:
        failed = False
        if not name:
            problems.append("vul ook persoon_naam in bij een geboortedatum of BSN")
            failed = True
        elif problem := person_name_problem(name):
            problems.append(f"{problem} in kolom persoon_naam")
            failed = True
        birth = None
        if born:
            birth = parse_date(born)
            if birth is None:
                problems.append(f"geen geldige datum ‘{_short(born, 20)}’ in kolom persoon_geboortedatum (verwacht dd-mm-jjjj)")
                failed = True
            elif problem := birth_date_problem(birth):
                problems.append(f"{problem} in kolom persoon_geboortedatum")
                failed = True
        if bsn:
            compact = "".join(ch for ch in bsn if ch not in " .-")
            try:
                if not re.fullmatch(r"[0-9]{8,9}", compact):
                    raise ValidationError("Geen geldig burgerservicenummer (negen cijfers die de elfproef doorstaan).")
                bsn = compact.zfill(9)
                validate_bsn(bsn)
            except ValidationError as exc:
                problems.append(f"{_first_message(exc)} in kolom persoon_bsn")
                failed = True
        if not failed:
            mentions.append(MentionInput(kind="persoon", name=name, bsn=bsn, birth_date=birth))

    company, kvk = get("bedrijf_naam"), get("bedrijf_kvk").replace(" ", "").replace(".", "")
    if company or kvk:
        failed = False
        try:
            validate_kvk(kvk)
        except ValidationError as exc:
            problems.append(f"{_first_message(exc)} in kolom bedrijf_kvk")
            failed = True
        if len(company) > COMPANY_MAX:
            problems.append(f"de bedrijfsnaam is langer dan {COMPANY_MAX} tekens")
            failed = True
        if not failed:
            mentions.append(MentionInput(kind="bedrijf", name=company, kvk_number=kvk))

    if get("kenteken"):
        plate, problem = plate_or_problem(get("kenteken"))
        if problem:
            problems.append(f"{problem} in kolom kenteken")
        else:
            mentions.append(MentionInput(kind="voertuig", plate=plate))
    return mentions


# --- writing -----------------------------------------------------------------------------------


def import_mma(owner, data: bytes, *, filename: str = "", actor: Access | None = None, request=None) -> ImportResult:
    """Import MMA reports (text or e-mail) for municipality ``owner``: all or none."""
    try:
        parsed = parse_mma_upload(data, filename)
    except ImportRejected as exc:
        return ImportResult(MMA, errors=exc.errors)
    known = set(services.catalogue_for(owner.pk).values_list("code", flat=True))
    for row in parsed:  # the keyword table names standard themes; a municipality may have switched one off
        row.signal.theme_codes = [c for c in row.signal.theme_codes if c in known]
    numbers = [row.external_reference for row in parsed]
    # scoped to the municipality: another municipality may hold the same Meldingnummer
    already = set(
        Signal.objects.visible_to(services.registry_access(owner))
        .filter(external_reference__in=numbers).values_list("external_reference", flat=True)
    )
    errors = [
        LineError(row.line, f"Meldingnummer {row.external_reference} is al eerder geïmporteerd; deze melding is een dubbele")
        for row in parsed if row.external_reference in already
    ]
    if errors:
        return ImportResult(MMA, errors=errors)
    return _write(owner, MMA, parsed, data, actor=actor, request=request)


def import_csv(owner, data: bytes, *, actor: Access | None = None, request=None) -> ImportResult:
    """Import a CSV file of signals for municipality ``owner``: all rows or none."""
    try:
        parsed = parse_csv(data)
    except ImportRejected as exc:
        return ImportResult(CSV, errors=exc.errors)
    known = set(services.catalogue_for(owner.pk).values_list("code", flat=True))
    errors = [
        LineError(row.line, f"onbekend thema ‘{code}’ in kolom thema's; zie Signalen › Regels voor de themacodes")
        for row in parsed for code in row.signal.theme_codes if code not in known
    ]
    if errors:
        return ImportResult(CSV, errors=errors)
    return _write(owner, CSV, parsed, data, actor=actor, request=request)


def _write(owner, kind: str, parsed: list[Parsed], data: bytes | str, *, actor: Access | None, request) -> ImportResult:
    created: list[Created] = []
    try:
        with transaction.atomic():
            for row in parsed:
                try:
                    registered = services.register(owner, row.signal, actor=actor, request=request)
                except ValidationError as exc:  # checked above; a safety net that keeps the import atomic
                    raise ImportRejected([LineError(row.line, _first_message(exc))]) from exc
                signal = registered.signal
                if row.external_reference:
                    signal.external_reference = row.external_reference
                    try:
                        with transaction.atomic():
                            signal.save(update_fields=["external_reference"])
                    except IntegrityError as exc:  # a concurrent import took this number first
                        raise ImportRejected([LineError(row.line, f"Meldingnummer {row.external_reference} is al eerder geïmporteerd; deze melding is een dubbele")]) from exc
                created.append(Created(signal.pk, signal.reference, row.line, row.external_reference))
            raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
            record(
                AuditEntry.Action.CREATE, model=Signal, access=actor or services.registry_access(owner), request=request,
                detail={"import": kind, "rows": len(created), "sha256": hashlib.sha256(raw).hexdigest()},
            )
    except ImportRejected as exc:
        return ImportResult(kind, errors=exc.errors)
    return ImportResult(kind, created=created)


def run(owner, kind: str, data: bytes, *, filename: str = "", actor: Access | None = None, request=None) -> ImportResult:
    """Dispatch on ``kind`` ("mma" or "csv"), for the upload page."""
    if kind == MMA:
        return import_mma(owner, data, filename=filename, actor=actor, request=request)
    if kind == CSV:
        return import_csv(owner, data, actor=actor, request=request)
    raise ValueError(kind)
