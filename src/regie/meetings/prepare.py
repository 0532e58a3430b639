"""Preparing an agenda item before the meeting: a snapshot of what is known, grouped by the field
groups of the partner registry (:data:`regie.partners.sharing.FIELD_GROUPS`), and its priority.

The snapshot is taken with the coordinator's access when the agenda is made, so participants
don't look things up during the meeting (seed 000 §5.4.3) and a partner can be shown exactly the
groups its convenant allows. Related records are re-read through the scoped managers: the
snapshot never holds more than the coordinator may see.
"""

from __future__ import annotations

from django.utils import timezone

from regie.intake import enrichment
from regie.intake.models import Signal
from regie.organisations.access import Access
from regie.subjects.models import Address, Company, Person

SEVERITY_WEIGHT = {Signal.Severity.HIGH: 3, Signal.Severity.MEDIUM: 2, Signal.Severity.LOW: 1}
#: priority of the item kinds that are not signals (higher first)
PRIORITY = {"actie": 6, "casus": 4, "terugkoppeling": 2, "trends": 0}
#: the snapshot groups that hold personal data (cleared when the record is removed)
PERSONAL_GROUPS = ("personen", "bedrijven", "locatie", "omschrijving", "besluiten")


def _date(value) -> str:
    return f"{value:%d-%m-%Y}" if value else ""


def _persons(access: Access, ids) -> list[dict]:
    rows = Person.objects.visible_to(access).filter(pk__in=ids).order_by("surname")
    return [{"naam": p.full_name, "geboortedatum": _date(p.birth_date)} for p in rows]


def _companies(access: Access, ids) -> list[dict]:
    rows = Company.objects.visible_to(access).filter(pk__in=ids).order_by("name")
    return [{"naam": c.name, "kvk": c.kvk_number or ""} for c in rows]


def _addresses(access: Access, ids) -> list[str]:
    return [str(a) for a in Address.objects.visible_to(access).filter(pk__in=ids)]


def _area(buurt) -> dict:
    if buurt is None:
        return {"buurt": "", "wijk": ""}
    return {"buurt": buurt.name, "wijk": buurt.wijk.name if buurt.wijk_id else ""}


def signal_snapshot(access: Access, signal: Signal, history: list[str]) -> dict:
    mentions = list(signal.mentions.all())
    address_ids = {m.address_id for m in mentions if m.address_id}
    if signal.address_id:
        address_ids.add(signal.address_id)
    sections = enrichment.what_we_know(access, signal)
    return {
        "titel": f"Signaal {signal.reference}",
        "onderwerp": {
            "themas": sorted(t.name for t in signal.themes.all()),
            "zwaarte": signal.get_severity_display(),
            "hardheid": signal.get_hardness_display(),
            "kanaal": signal.get_channel_display(),
            "ontvangen": _date(timezone.localtime(signal.received_at)),
        },
        "locatie": {"adressen": _addresses(access, address_ids), **_area(signal.buurt)},
        "personen": _persons(access, {m.person_id for m in mentions if m.person_id}),
        "bedrijven": _companies(access, {m.company_id for m in mentions if m.company_id}),
        "voertuigen": sorted({m.vehicle_plate for m in mentions if m.vehicle_plate}),
        "omschrijving": signal.text[:2000],
        "verrijking": [{"titel": s.title, "aantal": s.count} for s in sections],
        "besluiten": history,
    }


def case_snapshot(access: Access, case, history: list[str]) -> dict:
    from regie.cases import services as cases

    subjects = cases.subject_ids(case)
    return {
        "titel": f"Casus {case.reference}: {case.title}",
        "onderwerp": {
            "themas": sorted(t.name for t in case.themes.all()),
            "fase": case.get_phase_display(),
            "soort": case.get_case_type_display(),
            "opschaling": case.get_escalation_level_display(),
        },
        "locatie": {"adressen": _addresses(access, subjects["addresses"]), "buurt": "", "wijk": ""},
        "personen": _persons(access, subjects["persons"]),
        "bedrijven": _companies(access, subjects["companies"]),
        "omschrijving": (case.summary or "")[:2000],
        "verrijking": [
            {"titel": f"Interventies van {row['partner']}", "aantal": row["count"]} for row in cases.matrix_counts(case)
        ],
        "besluiten": history,
    }


def signal_priority(signal: Signal, postponements: int) -> int:
    weight = SEVERITY_WEIGHT.get(signal.severity, 1)
    if signal.hardness == Signal.Hardness.FACT:
        weight += 1
    # an item that keeps being pushed forward rises, so it cannot be pushed forever
    return weight + min(postponements, 2)


def theme_codes(item) -> set[str]:
    """The item's theme codes, for the partner registry's theme filter."""
    if item.signal_id:
        return {t.code for t in item.signal.themes.all()}
    if item.case_id:
        return {t.code for t in item.case.themes.all()}
    return set()


def scrub(snapshot: dict) -> dict:
    """The snapshot without personal data, once the record it describes has been removed."""
    kept = {key: value for key, value in snapshot.items() if key not in PERSONAL_GROUPS and key != "voertuigen"}
    kept["verwijderd"] = "Gegevens verwijderd na afloop van de bewaartermijn."
    return kept
