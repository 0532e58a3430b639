"""A reproducible, clearly fictitious demo municipality.

"Gemeente Ravenstede" (about 150,000 inhabitants) in the fictitious RIEC region Middenland,
with its neighbour "Gemeente Noordhaven", the partners at the table, wijken and buurten,
persons, companies and addresses, and one user per role. Names are drawn from the word lists
of Faker's Dutch provider with one seeded random generator (no real company names); BSNs lie
in the range reserved for test numbers (999 990 000 – 999 999 999), pass the elfproef and are
never shared by two persons. Every value depends only on ``seed`` and ``scale``.

Later issues add a ``build_<room>`` step here for their own records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker.providers.address.nl_NL import Provider as _AddressWords
from faker.providers.person.nl_NL import Provider as _PersonWords

from regie.accounts.models import Assignment, User
from regie.accounts.roles import Role
from regie.areas.models import Buurt, Wijk
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation, Region, RegionMembership, Share
from regie.subjects.models import Address, Company, Person

MUNICIPALITY = "Gemeente Ravenstede"
NEIGHBOUR = "Gemeente Noordhaven"
DEMO_PASSWORD = "Regie-demo-2026!"  # noqa: S105 — the published password of the fictitious demo users (README)
#: one fixed TOTP secret (hex, as django-otp stores it) for every demo user; never use in production
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key "12345678901234567890"

PARTNERS = [
    ("RIEC Middenland", Organisation.Kind.RIEC),
    ("Politie eenheid Middenland", Organisation.Kind.POLITIE),
    ("Openbaar Ministerie arrondissement Middenland", Organisation.Kind.OM),
    ("Belastingdienst regio Middenland", Organisation.Kind.BELASTINGDIENST),
    ("Omgevingsdienst Middenland", Organisation.Kind.OMGEVINGSDIENST),
    ("Nederlandse Arbeidsinspectie", Organisation.Kind.ARBEIDSINSPECTIE),
    ("Sociale Dienst Ravenstede", Organisation.Kind.SOCIALE_DIENST),
    ("Woningstichting Ravenwonen", Organisation.Kind.WONINGCORPORATIE),
]

WIJK_NAMES = [
    "Centrum", "Havenkwartier", "Molenwijk", "Vlietpolder", "Kastanjebuurt", "Bedrijvenpark De Raaf",
    "Oosterhout", "Zuiderveld", "Ravenhorst", "Landgoed Ravenstein",
]
BUURT_SUFFIXES = ["Noord", "Zuid", "Oost", "West", "Kern", "Park", "Dorp", "Haven"]
#: how often each legal form occurs among the demo companies (forms not listed do not occur)
LEGAL_FORM_WEIGHTS = {
    Company.LegalForm.BV: 30,
    Company.LegalForm.NV: 2,
    Company.LegalForm.VOF: 12,
    Company.LegalForm.CV: 2,
    Company.LegalForm.EENMANSZAAK: 35,
    Company.LegalForm.STICHTING: 10,
    Company.LegalForm.VERENIGING: 4,
    Company.LegalForm.COOPERATIE: 2,
    Company.LegalForm.MAATSCHAP: 3,
}
PARTICLES = ("van der", "van den", "van de", "van 't", "in 't", "van", "de", "den", "der", "te", "ter", "'t")

#: the demo logins: username, role, organisation (None = the municipality), full name
DEMO_USERS = [
    ("coordinator", Role.COORDINATOR, None, "Carla de Wit"),
    ("analist", Role.ANALIST, None, "Ahmed el Amrani"),
    ("partner", Role.PARTNER, "Politie eenheid Middenland", "Petra van der Linden"),
    ("boa", Role.BOA, None, "Bram Jansen"),
    ("bibob", Role.BIBOB, None, "Bea van den Heuvel"),
    ("jurist", Role.JURIST, None, "Joost ter Horst"),
    ("burgemeester", Role.BURGEMEESTER, None, "Marieke van 't Hof"),
    ("raadslid", Role.RAADSLID, None, "Ruud Visser"),
    ("privacy", Role.PRIVACY, None, "Priya Ramdin"),
    ("beheerder", Role.BEHEERDER, None, "Frank Bakker"),
    ("medewerker", Role.MEDEWERKER, None, "Mila de Boer"),
    ("coordinator.noordhaven", Role.COORDINATOR, NEIGHBOUR, "Noor Hoekstra"),
    # the RIEC's analist reads the regional view (/rapportages/regio/): sums over both municipalities
    ("riec", Role.ANALIST, "RIEC Middenland", "Rik Smits"),
]


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def bsn_pool(rng: random.Random) -> list[str]:
    """Every number in the test range 999 990 000 – 999 999 999 that passes the elfproef, shuffled.

    The range holds only about 900 valid numbers, so at larger scales later persons get no BSN
    rather than one that another person already has.
    """
    pool = []
    for n in range(10_000):
        digits = [9, 9, 9, 9, 9, *map(int, f"{n:04d}")]
        if (sum(d * w for d, w in zip(digits, range(9, 1, -1))) - digits[-1]) % 11 == 0:
            pool.append("".join(map(str, digits)))
    rng.shuffle(pool)
    return pool


def split_surname(surname: str) -> tuple[str, str]:
    """'van der Ploeg' -> ('van der', 'Ploeg'); the tussenvoegsel is kept apart, as in the BRP."""
    if ", " in surname:  # the register notation 'Ploeg, van der'
        rest, _, particle = surname.partition(", ")
        surname = f"{particle} {rest}"
    for particle in sorted(PARTICLES, key=len, reverse=True):
        if surname.lower().startswith(particle + " "):
            return particle, surname[len(particle) + 1 :]
    return "", surname


def _plain_surnames() -> tuple[tuple[str, str], ...]:
    """Faker's Dutch surnames as (prefix, surname), without the medieval and compound oddities."""
    names = (split_surname(name) for name in _PersonWords.last_names)
    return tuple(sorted({(prefix, rest) for prefix, rest in names if " " not in rest and "," not in rest}))


SURNAMES = _plain_surnames()
FIRST_NAMES = (_PersonWords.first_names_male, _PersonWords.first_names_female)
STREET_SUFFIXES = _AddressWords.street_suffixes
#: postcode letter pairs PostNL never issues
FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}
#: trades that recur in the audits' signals (cash-intensive, easy to front): shops and firms
SHOPS = (
    "Autobedrijf", "Barbershop", "Belwinkel", "Cafetaria", "Kapsalon", "Klusbedrijf", "Koeriersdienst",
    "Nagelstudio", "Schoonmaakbedrijf", "Shishalounge", "Snackbar", "Telecomwinkel",
)
FIRMS = ("Autoverhuur", "Beheer", "Bouw", "Holding", "Import & Export", "Transport", "Uitzendbureau", "Vastgoed")


def _surname(rng: random.Random) -> str:
    prefix, rest = rng.choice(SURNAMES)
    return f"{prefix} {rest}" if prefix else rest


def _company_name(rng: random.Random, form: str) -> str:
    last = _surname(rng)
    last = last[0].upper() + last[1:]  # 'van Vliet' starts a name as 'Van Vliet'
    if form == Company.LegalForm.STICHTING:
        return rng.choice((f"Stichting {last}", f"Stichting Vrienden van {last}"))
    if form == Company.LegalForm.VERENIGING:
        return f"Vereniging {last}"
    if form == Company.LegalForm.EENMANSZAAK:
        owner = rng.choice(rng.choice(FIRST_NAMES)) if rng.random() < 0.5 else last
        return f"{rng.choice(SHOPS)} {owner}"
    pattern = rng.randrange(4)
    if pattern == 0:
        return last
    if pattern == 1:
        return f"{last} {rng.choice(FIRMS)}"
    if pattern == 2:
        return f"{last} & {_surname(rng)}"
    return f"{last} Groep"


def exists() -> bool:
    return Organisation.objects.filter(name=MUNICIPALITY).exists()


@transaction.atomic
def build(seed: int = 1, scale: float = 1.0, batch: int = 5000) -> Summary:
    rng = random.Random(seed)  # noqa: S311 — reproducible fictitious data from --seed, not a secret
    summary = Summary()

    gemeente, neighbour, partners = build_organisations(summary)
    areas = {gemeente.pk: build_areas(gemeente, "99", rng, summary), neighbour.pk: build_areas(neighbour, "98", rng, summary, wijken=4)}
    users = build_users(gemeente, neighbour, partners, summary)
    bsns = bsn_pool(rng)
    split = len(bsns) * 5 // 6  # in proportion to the two municipalities' persons
    for org, share, pool in ((gemeente, 1.0, bsns[:split]), (neighbour, 0.2, bsns[split:])):
        build_subjects(org, areas[org.pk], rng, pool, scale * share, batch, summary)
    build_assignments_and_shares(gemeente, users, partners, rng, summary)
    build_intake(gemeente, users, partners, rng, scale, summary)
    # the later rooms, each with its own step (src/regie/<room>/demo.py), in the order of the flow
    from regie.areas import demo as areas_demo
    from regie.bibob import demo as bibob_demo
    from regie.cases import demo as cases_demo
    from regie.controls import demo as controls_demo
    from regie.measures import demo as measures_demo
    from regie.meetings import demo as meetings_demo
    from regie.network import demo as network_demo
    from regie.partners import demo as partners_demo
    from regie.plans import demo as plans_demo
    from regie.resilience import demo as resilience_demo
    from regie.subjects import demo as subjects_demo

    # controls last: a control reports back to the forums the meetings step sets up
    # areas after measures: a tackled risk location links the measures that tackled it
    # resilience after measures: its enforced four-eyes rule applies to 13b decisions recorded from then on
    # network after the registry's relations (subjects) and the other rooms' containers
    # plans last: its goals are computed from every other room's registers
    for step in (subjects_demo, partners_demo, cases_demo, measures_demo, areas_demo, bibob_demo, meetings_demo, controls_demo,
                 resilience_demo, network_demo, plans_demo):
        step.build(gemeente, users, partners, rng, summary)
    return summary


def build_organisations(summary: Summary):
    gemeente = Organisation.objects.create(name=MUNICIPALITY, kind=Organisation.Kind.GEMEENTE, code="GM9901", inhabitants=151_240)
    neighbour = Organisation.objects.create(name=NEIGHBOUR, kind=Organisation.Kind.GEMEENTE, code="GM9902", inhabitants=48_730)
    partners = {name: Organisation.objects.create(name=name, kind=kind) for name, kind in PARTNERS}
    riec = Region.objects.create(name="RIEC-regio Middenland", kind=Region.Kind.RIEC_REGIO)
    north = Region.objects.create(name="District Ravenstede-Noord", kind=Region.Kind.DISTRICT, parent=riec)
    west = Region.objects.create(name="District Middenland-West", kind=Region.Kind.DISTRICT, parent=riec)
    memberships = [
        RegionMembership(organisation=gemeente, region=riec, valid_from=date(2018, 1, 1)),
        RegionMembership(organisation=neighbour, region=riec, valid_from=date(2018, 1, 1)),
        RegionMembership(organisation=gemeente, region=north, valid_from=date(2018, 1, 1)),
        # Noordhaven moved districts on 1 January 2024 (dated membership, as in seed 001)
        RegionMembership(organisation=neighbour, region=west, valid_from=date(2018, 1, 1), valid_until=date(2024, 1, 1)),
        RegionMembership(organisation=neighbour, region=north, valid_from=date(2024, 1, 1)),
    ]
    # the partners work in the same RIEC region (the partner API accepts deliveries only from there)
    memberships += [RegionMembership(organisation=org, region=riec, valid_from=date(2018, 1, 1)) for org in partners.values()]
    RegionMembership.objects.bulk_create(memberships)
    summary.add("organisaties", 2 + len(partners))
    summary.add("regio's", 3)
    return gemeente, neighbour, partners


def build_areas(org, prefix: str, rng: random.Random, summary: Summary, wijken: int = len(WIJK_NAMES)):
    buurten = []
    postcode = 7900 if prefix == "99" else 7800
    for w, name in enumerate(WIJK_NAMES[:wijken], start=1):
        wijk = Wijk.objects.create(owner=org, code=f"WK{prefix}01{w:02d}", name=name, confidentiality=Confidentiality.OPENBAAR)
        for b in range(rng.randint(5, 8)):
            areas = f"{postcode},{postcode + 1}"
            postcode += 2
            buurten.append(
                Buurt(
                    owner=org, wijk=wijk, code=f"BU{prefix}01{w:02d}{b:02d}", name=f"{name} {BUURT_SUFFIXES[b]}",
                    postcode_areas=areas, confidentiality=Confidentiality.OPENBAAR,
                )
            )
    Buurt.objects.bulk_create(buurten)
    summary.add("wijken", wijken)
    summary.add("buurten", len(buurten))
    return list(Buurt.objects.filter(owner=org))


def build_users(gemeente, neighbour, partners, summary: Summary):
    users = {}
    orgs = {None: gemeente, NEIGHBOUR: neighbour, **partners}
    # one shared password: hash it once (PBKDF2 is deliberately slow; a dozen hashes cost seconds)
    password_hash = make_password(DEMO_PASSWORD)
    for username, role, org_name, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user = User(
            username=username, role=role, organisation=orgs[org_name], first_name=first, last_name=last,
            email=f"{username}@{'ravenstede' if org_name is None else 'partner'}.demo.invalid",
        )
        user.password = password_hash
        user.save()
        if user.needs_second_factor:
            TOTPDevice.objects.create(user=user, name="Demo-authenticator", key=DEMO_TOTP_KEY, confirmed=True)
        users[username] = user
    summary.add("gebruikers", len(users))
    return users


def _address(org, buurten, rng) -> Address:
    buurt = rng.choice(buurten)
    pc_digits = rng.choice(buurt.postcode_areas.split(","))
    letters = "SA"
    while letters in FORBIDDEN_POSTCODE_LETTERS:
        letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
    return Address(
        owner=org,
        street=rng.choice(rng.choice(FIRST_NAMES)) + rng.choice(STREET_SUFFIXES),
        house_number=rng.randint(1, 250),
        house_letter=rng.choice(["", "", "", "", "A", "B"]),
        addition=rng.choice(["", "", "", "", "", "1", "2", "BIS", "ZW"]),
        postcode=f"{pc_digits}{letters}",
        city=org.name.removeprefix("Gemeente "),
        buurt=buurt,
        confidentiality=Confidentiality.ZAAKVERTROUWELIJK,
    )


def build_subjects(org, buurten, rng, bsns: list[str], scale: float, batch: int, summary: Summary) -> None:
    """Addresses, persons and companies of ``org``; persons take BSNs from ``bsns`` while it lasts."""
    n_addresses = max(1, int(2000 * scale))
    n_persons = max(1, int(3000 * scale))
    n_companies = max(1, int(600 * scale))
    for start in range(0, n_addresses, batch):
        Address.objects.bulk_create([_address(org, buurten, rng) for _ in range(min(batch, n_addresses - start))])
    # in insertion order, so the same seed links the same rows on every database
    address_ids = list(Address.objects.filter(owner=org).order_by("pk").values_list("pk", flat=True))
    levels = [Confidentiality.ZAAKVERTROUWELIJK] * 6 + [Confidentiality.VERTROUWELIJK] * 3 + [Confidentiality.GEHEIM]
    bsns = iter(bsns)
    for start in range(0, n_persons, batch):
        rows = []
        for _ in range(min(batch, n_persons - start)):
            prefix, surname = rng.choice(SURNAMES)
            given = rng.choice(FIRST_NAMES)
            first_names = rng.choice(given)
            if rng.random() < 0.4:
                first_names += " " + rng.choice(given)
            rows.append(
                Person(
                    owner=org,
                    first_names=first_names,
                    initials="".join(f"{n[0]}." for n in first_names.split()),
                    surname_prefix=prefix,
                    surname=surname,
                    birth_date=date(rng.randint(1945, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                    # most subjects have a known BSN; an unknown one is common in signals too
                    bsn=next(bsns, "") if rng.random() < 0.8 else "",
                    address_id=rng.choice(address_ids),
                    confidentiality=rng.choice(levels),
                )
            )
        Person.objects.bulk_create(rows)
    forms, weights = zip(*LEGAL_FORM_WEIGHTS.items())
    for start in range(0, n_companies, batch):
        rows = []
        for _ in range(min(batch, n_companies - start)):
            form = rng.choices(forms, weights)[0]
            rows.append(
                Company(
                    owner=org, name=_company_name(rng, form), legal_form=form, kvk_number=f"{rng.randint(90_000_000, 99_999_999)}",
                    address_id=rng.choice(address_ids), confidentiality=Confidentiality.ZAAKVERTROUWELIJK,
                )
            )
        Company.objects.bulk_create(rows)
    summary.add("adressen", n_addresses)
    summary.add("personen", n_persons)
    summary.add("bedrijven", n_companies)


def build_assignments_and_shares(gemeente, users, partners, rng, summary: Summary) -> None:
    from django.contrib.contenttypes.models import ContentType

    person_ct = ContentType.objects.get_for_model(Person)
    persons = list(Person.objects.filter(owner=gemeente, confidentiality__lte=Confidentiality.VERTROUWELIJK).order_by("pk").values_list("pk", flat=True)[:40])
    assignments = [Assignment(user=users["coordinator"], content_type=person_ct, object_id=pk) for pk in persons[:20]]
    assignments += [Assignment(user=users["analist"], content_type=person_ct, object_id=pk) for pk in persons[10:30]]
    Assignment.objects.bulk_create(assignments)
    police = partners["Politie eenheid Middenland"]
    shares = [
        Share(content_type=person_ct, object_id=pk, organisation=police, basis="Convenant RIEC Middenland 2023, art. 5 lid 2", granted_by=users["coordinator"])
        for pk in persons[:5]
    ]
    Share.objects.bulk_create(shares)
    summary.add("toewijzingen", len(assignments))
    summary.add("delingen", len(shares))


SIGNAL_TEXTS = [
    ("Sterke hennepgeur en dichtgeplakte ramen bij {adres}; 's nachts veel komen en gaan.", ["drugs-productie"], "mma"),
    ("Buurtbewoner ziet dagelijks korte bezoekjes aan {adres}, vermoedelijk dealen.", ["drugs-dealen"], "public"),
    ("Garagebedrijf op {adres} handelt in dure auto's zonder zichtbare klanten; betalingen contant.", ["witwassen", "autobranche"], "internal"),
    ("Bij controle op {adres} verbleven acht arbeidsmigranten in één woning, paspoorten bij de werkgever.", ["arbeidsuitbuiting"], "boa"),
    ("Melding van vuurwerkoverlast rond {adres} tijdens het weekend.", [], "mma"),
    ("Geluidsoverlast van feesten op {adres}.", [], "public"),
    ("Nagelstudio op {adres} lijkt 's avonds als woning met wisselende vrouwen te worden gebruikt (prostitutie?).", ["illegale-prostitutie"], "meeting"),
    ("Zorgbureau op {adres} declareert veel uren, cliënten bevestigen dat niet: mogelijke zorgfraude.", ["zorgfraude"], "partner"),
    ("Loods op {adres}: hoog stroomverbruik volgens netbeheerder, mogelijk wietplantage.", ["drugs-productie"], "partner"),
    ("Jongeren rond {adres} vervoeren pakketjes voor oudere mannen in dure auto's.", ["jonge-aanwas", "drugs-handel"], "internal"),
]


def build_intake(gemeente, users, partners, rng, scale: float, summary: Summary) -> None:
    """Signals over three years with triage decisions and their dated events (lead times)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from regie.accounts.access import access_for_user
    from regie.intake import services as intake

    intake.install_default_rules(gemeente)
    coordinator = access_for_user(users["coordinator"])
    persons = list(Person.objects.filter(owner=gemeente).order_by("pk")[:200])
    addresses = list(Address.objects.filter(owner=gemeente).order_by("pk")[:400])
    police = partners["Politie eenheid Middenland"]
    tz = ZoneInfo("Europe/Amsterdam")
    n = max(10, int(150 * min(scale, 10)))
    created = 0
    for i in range(n):
        text, themes, channel = SIGNAL_TEXTS[rng.randrange(len(SIGNAL_TEXTS))]
        address = rng.choice(addresses)
        received = datetime(2024, 1, 1, 9, tzinfo=tz) + timedelta(days=rng.randrange(0, 1050), hours=rng.randrange(0, 9))
        mentions = []
        if rng.random() < 0.6:
            p = rng.choice(persons)
            mentions.append(intake.MentionInput(kind="persoon", name=p.full_name, birth_date=p.birth_date))
        if rng.random() < 0.2:
            mentions.append(intake.MentionInput(kind="voertuig", plate=f"{rng.randint(10, 99)}-{rng.choice('GHJKLNPRSTXZ')}{rng.choice('BDFGHJKLNPRSTVXZ')}{rng.choice('BDFGHJKLNPRSTVXZ')}-{rng.randint(1, 9)}"))
        data = intake.SignalInput(
            channel=channel, text=text.format(adres=str(address).split(",")[0]), received_at=received,
            anonymous=channel in ("mma", "public"),
            address=intake.AddressInput(postcode=address.postcode, house_number=address.house_number,
                                        house_letter=address.house_letter, addition=address.addition,
                                        street=address.street, city=address.city),
            theme_codes=themes, hardness=rng.choice(["indicatie", "indicatie", "feit"]),
            severity=rng.choice(["laag", "midden", "midden", "hoog"]), mentions=mentions,
            source_organisation_id=police.pk if channel == "partner" else None,
            reporter=intake.ReporterInput(user_id=users["medewerker"].pk, name=users["medewerker"].display_name) if channel == "internal" else None,
        )
        signal = intake.register(gemeente, data, actor=None).signal
        created += 1
        if received.date() > date(2026, 11, 1) or rng.random() < 0.1:
            continue  # recent ones wait for triage
        triaged_at = received + timedelta(days=rng.randint(0, 12), hours=rng.randint(1, 6))
        if signal.suggested_label == "niet":
            intake.decide_triage(coordinator, signal, label="niet", route=signal.suggested_route or "sluiten",
                                 reason="Geen ondermijning: doorgezet naar de reguliere aanpak.", at=triaged_at)
        else:
            intake.decide_triage(coordinator, signal, label="ondermijning", route="overleg", at=triaged_at)
            if rng.random() < 0.7:
                agenda = triaged_at + timedelta(days=rng.randint(1, 28))
                intake.record_milestone(signal, "geagendeerd", at=agenda)
                if rng.random() < 0.8:
                    decision = agenda + timedelta(days=rng.choice([0, 0, 14, 28]))
                    intake.record_milestone(signal, "besluit", at=decision)
                    if rng.random() < 0.6:
                        intake.record_milestone(signal, "eerste_interventie", at=decision + timedelta(days=rng.randint(3, 60)))
    summary.add("signalen", created)
