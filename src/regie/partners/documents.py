"""The informatiedelingsdocument (seed 000, recommendation 3): who sits at the table, why, and
what each may bring in and receive, with the legal basis, as printable HTML and as PDF.

The partners room renders it for the whole registry; the meetings room for a forum's members.
Every download is an export and is logged with :func:`record_export`.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.organisations.models import Organisation

from .models import PartnerProfile
from .sharing import FIELD_GROUPS, labels, profile_for

STYLESHEET = "partners/sharing_document.css"

#: the rules that hold for everyone at the table, whatever their profile says
GENERAL_RULES = [
    ("Doelbinding", (
        "Gegevens die in het overleg worden gedeeld, worden alleen gebruikt voor de integrale aanpak van ondermijning "
        "waarvoor zij zijn ingebracht, en alleen binnen de taken en bevoegdheden van de ontvangende partner."
    )),
    ("Geen verdere verstrekking", (
        "Een partner verstrekt ontvangen gegevens niet verder aan derden, ook niet binnen de eigen organisatie buiten "
        "wie ze voor deze taak nodig heeft, tenzij een wettelijke plicht daartoe verplicht."
    )),
    ("Alleen wat is afgesproken", (
        "Een partner ontvangt alleen de gegevenscategorieën die in dit document bij zijn organisatie staan. "
        "Een partner zonder vastgelegde afspraak ontvangt geen gegevens uit Regie."
    )),
    ("Bron en grondslag", (
        "Wie informatie inbrengt, noemt de bron en de grondslag waarop hij die mag delen. Wat een partner niet mag delen, "
        "wordt niet gevraagd: doorvragen op een lopend opsporingsonderzoek is niet aan de orde."
    )),
    ("Niet interveniëren zonder overleg", (
        "De politie kan een persoon, bedrijf, adres of signaal markeren met 'niet interveniëren zonder overleg', zonder "
        "reden te geven. Elke interventie op een gemarkeerd object vraagt eerst om een bevestiging dat er overleg is "
        "geweest; markering en bevestiging worden vastgelegd."
    )),
    ("Vastlegging en bewaren", (
        "Elke inzage, elk besluit en elke export wordt vastgelegd in het audit-log van Regie. Gegevens worden niet langer "
        "bewaard dan voor het doel nodig is."
    )),
]


class PdfUnavailable(Exception):
    """The PDF cannot be made on this server (WeasyPrint or its native libraries are missing)."""


def theme_names(profile: PartnerProfile) -> list[str]:
    """The names of a profile's themes (the codes of themes no longer in the catalogue as they are)."""
    if not profile.theme_codes:
        return []
    from regie.intake.services import catalogue_for

    names = {theme.code: str(theme) for theme in catalogue_for(profile.owner_id)}
    return [names.get(code, code) for code in profile.theme_codes]


def _entry(access, organisation: Organisation) -> dict:
    own = access is not None and organisation.pk == access.organisation_id
    base = {"name": organisation.name, "kind": organisation.get_kind_display(), "own": own}
    if own:
        return {
            **base,
            "has_profile": True,
            "tasks": "Voert de regie over het overleg en de integrale aanpak; is verantwoordelijk voor de gegevens in Regie.",
            "powers": "Bestuurlijke bevoegdheden van burgemeester en college (onder meer APV, art. 13b Opiumwet, Wet Bibob).",
            "interests": "",
            "may_bring": "Gemeentelijke informatie, signalen en wat de gemeente al weet.",
            "may_receive": list(FIELD_GROUPS.values()),
            "legal_basis": "Eigen gegevens van de gemeente",
            "themes": [],
            "contacts": [],
        }
    profile = profile_for(access, organisation)
    if profile is None:
        return {**base, "has_profile": False, "may_receive": [], "contacts": [], "legal_basis": ""}
    return {
        **base,
        "has_profile": True,
        "tasks": profile.tasks,
        "powers": profile.powers,
        "interests": profile.interests,
        "may_bring": profile.may_bring,
        "may_receive": labels(profile.may_receive),
        "legal_basis": profile.legal_basis,
        "themes": theme_names(profile),
        "contacts": [
            {"name": c.name, "function": c.function, "email": c.email, "phone": c.phone} for c in profile.contacts.all()
        ],
    }


def sharing_document_context(access, organisations, *, title: str, purpose: str = "") -> dict:
    """Everything the document shows, for ``organisations`` (the people at the table), as seen
    by ``access`` (the municipality that keeps the registry)."""
    entries = [_entry(access, org) for org in organisations]
    bases = sorted({e["legal_basis"] for e in entries if e["legal_basis"] and not e["own"]})
    matrix = [
        {"name": e["name"], "cells": [label in e["may_receive"] for label in FIELD_GROUPS.values()]}
        for e in entries
    ]
    return {
        "title": title,
        "purpose": purpose,
        "keeper": access.organisation_name if access is not None else "",
        "generated_at": timezone.localtime(),
        "organisations": entries,
        "field_groups": list(FIELD_GROUPS.values()),
        "matrix": matrix,
        "general_rules": GENERAL_RULES,
        "legal_bases": bases,
    }


def registry_organisations(access) -> list[Organisation]:
    """The partners of the registry's active profiles, the keeping municipality first."""
    ids = PartnerProfile.objects.visible_to(access).filter(active=True).values_list("partner_id", flat=True)
    partners = list(Organisation.objects.filter(pk__in=list(ids)).order_by("name"))
    own = Organisation.objects.filter(pk=access.organisation_id).first() if access is not None else None
    return ([own] if own is not None else []) + partners


def render_html(context: dict) -> str:
    """The standalone, printable document (template partners/sharing_document.html)."""
    return render_to_string("partners/sharing_document.html", context)


def render_pdf(html: str, stylesheet: str = STYLESHEET) -> bytes:
    """The document as PDF (WeasyPrint), styled by the static file ``stylesheet``. Raises
    :class:`PdfUnavailable` with a Dutch message when WeasyPrint or its native libraries (Pango)
    are not installed on this server. Other rooms' printable documents use it too."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            "De PDF kan op deze server niet worden gemaakt: WeasyPrint of de Pango-bibliotheken ontbreken. "
            "Gebruik de HTML-versie en druk die af."
        ) from exc
    stylesheets = []
    path = finders.find(stylesheet)
    if path:
        stylesheets.append(weasyprint.CSS(filename=path))
    # nothing is fetched, not from the web and not from the disk: no protocol is allowed, the
    # only stylesheet is passed in as a file
    no_fetching = weasyprint.URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf(stylesheets=stylesheets)


def record_export(access, context: dict, fmt: str, *, request=None, detail: dict | None = None) -> None:
    """Log a download of the document (format "html" or "pdf")."""
    record(
        AuditEntry.Action.EXPORT,
        model=PartnerProfile,
        access=access,
        request=request,
        detail={
            "document": "informatiedelingsdocument",
            "format": fmt,
            "title": context.get("title", ""),
            "organisations": [e["name"] for e in context.get("organisations", [])],
            **(detail or {}),
        },
    )
