"""The onboarding module 'Introductie ondermijning' (issue 12, point 2): short Dutch pages on
recognising and reporting signals, a few questions to check understanding, and the check itself.

The content lives in code, versioned: a new version (``VERSION``) asks everyone again. The
questions are checked here; the completion is written by :func:`regie.resilience.services.complete_onboarding`.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = 1


@dataclass(frozen=True)
class Page:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[tuple[str, str], ...]
    correct: str


PAGES: tuple[Page, ...] = (
    Page(
        "Wat is ondermijning?",
        (
            "Ondermijning is criminaliteit waarbij de onderwereld gebruikmaakt van de bovenwereld: "
            "van bedrijven, vastgoed, vergunningen en ook van de gemeente. Denk aan drugshandel, "
            "witwassen, mensenhandel en uitbuiting.",
            "Criminelen hebben de gemeente nodig: een vergunning, een subsidie, een inschrijving, een "
            "pand. Daarom kunt u in uw eigen werk signalen tegenkomen.",
        ),
    ),
    Page(
        "Signalen herkennen",
        (
            "Een signaal is een aanwijzing, geen bewijs. Voorbeelden: een bedrijf dat vaker dicht is "
            "dan open, contante betalingen van grote bedragen, veel mensen ingeschreven op één adres, "
            "een aanvrager die onder druk zet of een cadeau aanbiedt, een sterke hennepgeur.",
            "Twijfelt u? Meld het toch. Het kernteam ondermijning weegt het signaal samen met andere "
            "informatie. U hoeft zelf niets uit te zoeken en spreekt de betrokkene er niet op aan.",
        ),
    ),
    Page(
        "Melden en uw eigen veiligheid",
        (
            "Meld een vermoeden via ‘Meld een vermoeden’ in Regie. Uw melding gaat vertrouwelijk "
            "naar het kernteam ondermijning; u volgt de status onder ‘Mijn meldingen’.",
            "Wordt u zelf benaderd, onder druk gezet of bedreigd? Bespreek het met uw leidinggevende "
            "of het aanspreekpunt ondermijning van uw afdeling. Zo beschermt u zichzelf en de gemeente.",
        ),
    ),
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "signaal",
        "Wat is een signaal van ondermijning?",
        (
            ("bewijs", "Bewijs dat iemand een misdrijf pleegt"),
            ("aanwijzing", "Een aanwijzing dat er iets mis kan zijn, die het kernteam weegt"),
            ("klacht", "Een klacht van een inwoner over de gemeente"),
        ),
        "aanwijzing",
    ),
    Question(
        "twijfel",
        "U twijfelt of wat u zag ondermijning is. Wat doet u?",
        (
            ("zelf", "Ik zoek het eerst zelf uit en spreek de aanvrager erop aan"),
            ("niets", "Ik doe niets tot ik het zeker weet"),
            ("melden", "Ik meld het via ‘Meld een vermoeden’"),
        ),
        "melden",
    ),
    Question(
        "benaderd",
        "Een aanvrager biedt u een cadeau aan als zijn vergunning snel rond is. Wat doet u?",
        (
            ("bespreken", "Ik weiger en bespreek het met mijn leidinggevende of het aanspreekpunt"),
            ("aannemen", "Ik neem het aan als het klein is"),
            ("negeren", "Ik negeer het en zeg niets"),
        ),
        "bespreken",
    ),
)


def wrong_answers(answers: dict[str, str]) -> list[Question]:
    """The questions ``answers`` (question key -> option) leaves unanswered or answers wrongly."""
    return [q for q in QUESTIONS if answers.get(q.key) != q.correct]
