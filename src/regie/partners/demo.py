"""Demo data for the partners room: the registry of Gemeente Ravenstede (all fictitious) and one
police flag "niet interveniëren zonder overleg" on a person shared with the police.

The convenant names and contact persons are invented; the statutes named are real Dutch law.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Share
from regie.subjects.models import Person

from . import flags, services
from .models import PartnerProfile

CONVENANT = "Convenant RIEC Middenland 2023, art. 5 lid 2"

#: per demo partner: tasks, powers, interests, what it brings in, legal basis, field groups, themes
PROFILES = {
    "RIEC Middenland": {
        "tasks": "Ondersteunt de gemeenten met informatie-uitwisseling, analyses en advies aan het bestuur; "
        "ondersteunt Bibob-onderzoeken en zorgt voor continuïteit en uniformiteit in de regio.",
        "powers": "Geen eigen opsporings- of handhavingsbevoegdheden; bundelt informatie van de convenantpartners "
        "in een RIEC-casus en adviseert het bevoegd gezag.",
        "interests": "Een regionaal beeld van ondermijning; zwaardere casussen naar het districtelijk overleg (DTO).",
        "may_bring": "Ondermijningsbeelden en risico-inventarisaties, analyses van netwerken, informatie uit RIEC-casussen.",
        "legal_basis": CONVENANT,
        "may_receive": ["onderwerp", "locatie", "personen", "bedrijven", "omschrijving", "verrijking", "besluiten"],
        "theme_codes": [],
    },
    "Politie eenheid Middenland": {
        "tasks": "Handhaving van de openbare orde en opsporing van strafbare feiten; brengt signalen in en is de sterke arm bij controles.",
        "powers": "Opsporingsbevoegdheden (Wetboek van Strafvordering), handhaving openbare orde (Politiewet 2012, art. 3), "
        "bestuurlijke rapportages aan de burgemeester.",
        "interests": "Lopende opsporingsonderzoeken niet doorkruisen: de politie kan niet zeggen of er een onderzoek loopt en "
        "markeert daarom 'niet interveniëren zonder overleg'.",
        "may_bring": "Politie-informatie op grond van art. 20 Wpg, bestuurlijke rapportages, signalen van wijkagenten.",
        "legal_basis": f"{CONVENANT}; Wet politiegegevens, art. 20",
        "may_receive": ["onderwerp", "locatie", "personen", "bedrijven", "omschrijving", "verrijking", "besluiten"],
        "theme_codes": [],
    },
    "Openbaar Ministerie arrondissement Middenland": {
        "tasks": "Vervolging van strafbare feiten; de officier van justitie zit in de driehoek.",
        "powers": "Vervolgingsbeslissingen, strafrechtelijk afpakken, gezag over de opsporing.",
        "interests": "Strafrechtelijke en bestuurlijke interventies op elkaar afstemmen.",
        "may_bring": "Strafvorderlijke gegevens voor zover verstrekt op grond van de Wjsg.",
        "legal_basis": f"{CONVENANT}; Wet justitiële en strafvorderlijke gegevens, art. 39f",
        "may_receive": ["onderwerp", "locatie", "personen", "bedrijven", "besluiten"],
        "theme_codes": [],
    },
    "Belastingdienst regio Middenland": {
        "tasks": "Heffing en invordering van belastingen; fiscale aanpak van criminele verdiensten.",
        "powers": "Boekenonderzoek, navorderingen en versnelde invordering.",
        "interests": "Fiscale interventies bij witwassen en facilitators.",
        "may_bring": "Fiscale gegevens voor zover verstrekt via het RIEC.",
        "legal_basis": f"{CONVENANT}; Uitvoeringsregeling Algemene wet inzake rijksbelastingen 1994, art. 43c",
        "may_receive": ["onderwerp", "personen", "bedrijven", "verrijking"],
        "theme_codes": ["witwassen", "vastgoed", "autobranche", "horeca"],
    },
    "Omgevingsdienst Middenland": {
        "tasks": "Toezicht en handhaving van milieu- en omgevingsregels namens de gemeente.",
        "powers": "Toezichthoudende bevoegdheden (Algemene wet bestuursrecht, afdeling 5.2), handhaving Omgevingswet.",
        "interests": "Milieudelicten en drugsafval op bedrijventerreinen en in het buitengebied.",
        "may_bring": "Bevindingen uit controles en vergunningen.",
        "legal_basis": f"{CONVENANT}; Omgevingswet, hoofdstuk 18",
        "may_receive": ["onderwerp", "locatie", "bedrijven", "omschrijving"],
        "theme_codes": ["drugs-productie", "bedrijventerreinen", "autobranche"],
    },
    "Nederlandse Arbeidsinspectie": {
        "tasks": "Toezicht op eerlijk, gezond en veilig werk; aanpak van arbeidsuitbuiting en illegale tewerkstelling.",
        "powers": "Toezichthoudende bevoegdheden (Algemene wet bestuursrecht, afdeling 5.2), bestuurlijke boetes "
        "(Wet arbeid vreemdelingen), opsporing door de eigen opsporingsdienst.",
        "interests": "Signalen van arbeidsuitbuiting en mensenhandel.",
        "may_bring": "Bevindingen uit inspecties en integrale controles.",
        "legal_basis": CONVENANT,
        "may_receive": ["onderwerp", "locatie", "personen", "bedrijven"],
        "theme_codes": ["arbeidsuitbuiting", "mensenhandel", "seksuele-uitbuiting"],
    },
    "Sociale Dienst Ravenstede": {
        "tasks": "Uitvoering van de Participatiewet; zorg en ondersteuning, ook voor slachtoffers.",
        "powers": "Onderzoek naar recht op bijstand, terugvordering en afpakken via de Participatiewet; "
        "sociaal rechercheurs zijn BRP-toezichthouder.",
        "interests": "Zorg en hulp gaan voor; gegevens uit het sociaal domein komen alleen na een vastgelegde afweging in het overleg.",
        "may_bring": "Of iemand een uitkering ontvangt (hit/no-hit), na afweging.",
        "legal_basis": CONVENANT,
        "may_receive": ["onderwerp", "personen"],
        "theme_codes": ["uitkeringsfraude", "zorgfraude", "jonge-aanwas"],
    },
    "Woningstichting Ravenwonen": {
        "tasks": "Verhuur en beheer van sociale huurwoningen.",
        "powers": "Huurrechtelijke maatregelen (ontbinding van de huurovereenkomst), woningbezoek met toestemming van de huurder.",
        "interests": "Geen hennepteelt, overbewoning of prostitutie in huurwoningen.",
        "may_bring": "Signalen van huismeesters en bewoners over huurwoningen.",
        "legal_basis": "Convenant Woonoverlast en ondermijning Ravenstede 2024, art. 4",
        "may_receive": ["onderwerp", "locatie"],
        "theme_codes": ["drugs-productie", "illegale-prostitutie", "arbeidsuitbuiting", "vastgoed"],
    },
}

FIRST = ["Anouk", "Bas", "Chantal", "Daan", "Esra", "Floor", "Gijs", "Hanneke", "Imre", "Jesse", "Karin", "Lars"]
LAST = ["Verbeek", "Mulder", "de Graaf", "Bos", "Kuipers", "van Dijk", "Postma", "Hendriks", "Brouwer", "Smit"]
FUNCTIONS = ["Accountmanager ondermijning", "Teamleider", "Informatiecoördinator", "Beleidsadviseur", "Casusregisseur"]


def _domain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:24] + ".example"


def build(gemeente, users, partners, rng, summary) -> None:
    keeper = access_for_user(users["beheerder"])
    profiles = contacts = 0
    for name, fields in PROFILES.items():
        organisation = partners.get(name)
        if organisation is None:
            continue
        profile = services.save_profile(
            keeper,
            PartnerProfile(partner=organisation, confidentiality=Confidentiality.INTERN, **fields),
            sorted(fields),
        )
        profiles += 1
        for _ in range(rng.randint(1, 2)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            services.add_contact(
                keeper, profile, name=f"{first} {last}", function=rng.choice(FUNCTIONS),
                email=f"{first[0].lower()}.{last.split()[-1].lower()}@{_domain(name)}",
                phone=f"06-{rng.randint(10_000_000, 99_999_999)}",
            )
            contacts += 1
    summary.add("partnerprofielen", profiles)
    summary.add("contactpersonen partners", contacts)

    police = partners.get("Politie eenheid Middenland")
    shared = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), organisation=police
    ).order_by("object_id").first() if police is not None else None
    if shared is not None and "partner" in users:
        officer = access_for_user(users["partner"])
        person = Person.objects.visible_to(officer).filter(pk=shared.object_id).first()
        if person is not None:
            flags.mark(officer, person)
            summary.add("markeringen niet interveniëren", 1)
