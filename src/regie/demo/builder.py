"""A reproducible, clearly fictitious demo municipality.

"Gemeente Ravenstede" (about 150,000 inhabitants) in the fictitious RIEC region Middenland,
with its neighbour "Gemeente Noordhaven", the partners at the table, wijken and buurten,
persons, companies and addresses, and one user per role. Names come from Faker's Dutch
provider; BSNs lie in the range reserved for test numbers (999 990 000 – 999 999 999) and
pass the elfproef. Every number depends only on ``seed`` and ``scale``.

Later issues add a ``build_<room>`` step here for their own records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from regie.accounts.models import Assignment, User
from regie.accounts.roles import Role
from regie.areas.models import Buurt, Wijk
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation, Region, RegionMembership, Share
from regie.subjects.models import Address, Company, Person

MUNICIPALITY = "Gemeente Ravenstede"
NEIGHBOUR = "Gemeente Noordhaven"
DEMO_PASSWORD = "Regie-demo-2026!"
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
]


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def test_bsn(rng: random.Random) -> str:
    """A nine-digit number in the test range 99999xxxx that passes the elfproef."""
    while True:
        digits = [9, 9, 9, 9, 9] + [rng.randint(0, 9) for _ in range(3)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last <= 9:
            return "".join(map(str, digits + [last]))


def split_surname(surname: str) -> tuple[str, str]:
    """'van der Ploeg' -> ('van der', 'Ploeg'); the tussenvoegsel is kept apart, as in the BRP."""
    for particle in sorted(PARTICLES, key=len, reverse=True):
        if surname.lower().startswith(particle + " "):
            return particle, surname[len(particle) + 1 :]
    return "", surname


def exists() -> bool:
    return Organisation.objects.filter(name=MUNICIPALITY).exists()


@transaction.atomic
def build(seed: int = 1, scale: float = 1.0, batch: int = 5000) -> Summary:
    rng = random.Random(seed)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    summary = Summary()

    gemeente, neighbour, partners = build_organisations(summary)
    areas = {gemeente.pk: build_areas(gemeente, "99", rng, summary), neighbour.pk: build_areas(neighbour, "98", rng, summary, wijken=4)}
    users = build_users(gemeente, neighbour, partners, summary)
    for org, share in ((gemeente, 1.0), (neighbour, 0.2)):
        build_subjects(org, areas[org.pk], rng, fake, scale * share, batch, summary)
    build_assignments_and_shares(gemeente, users, partners, rng, summary)
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
    for username, role, org_name, full_name in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user = User(
            username=username, role=role, organisation=orgs[org_name], first_name=first, last_name=last,
            email=f"{username}@{'ravenstede' if org_name is None else 'partner'}.demo.invalid",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if user.needs_second_factor:
            TOTPDevice.objects.create(user=user, name="Demo-authenticator", key=DEMO_TOTP_KEY, confirmed=True)
        users[username] = user
    summary.add("gebruikers", len(users))
    return users


def _address(org, buurten, rng, fake) -> Address:
    buurt = rng.choice(buurten)
    pc_digits = rng.choice(buurt.postcode_areas.split(","))
    letters = "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
    return Address(
        owner=org,
        street=fake.street_name(),
        house_number=rng.randint(1, 250),
        house_letter=rng.choice(["", "", "", "", "A", "B"]),
        addition=rng.choice(["", "", "", "", "", "1", "2", "BIS", "ZW"]),
        postcode=f"{pc_digits}{letters}",
        city=org.name.removeprefix("Gemeente "),
        buurt=buurt,
        confidentiality=Confidentiality.ZAAKVERTROUWELIJK,
    )


def build_subjects(org, buurten, rng, fake, scale: float, batch: int, summary: Summary) -> None:
    n_addresses = max(1, int(2000 * scale))
    n_persons = max(1, int(3000 * scale))
    n_companies = max(1, int(600 * scale))
    for start in range(0, n_addresses, batch):
        Address.objects.bulk_create([_address(org, buurten, rng, fake) for _ in range(min(batch, n_addresses - start))])
    address_ids = list(Address.objects.filter(owner=org).values_list("pk", flat=True))
    levels = [Confidentiality.ZAAKVERTROUWELIJK] * 6 + [Confidentiality.VERTROUWELIJK] * 3 + [Confidentiality.GEHEIM]
    for start in range(0, n_persons, batch):
        rows = []
        for _ in range(min(batch, n_persons - start)):
            prefix, surname = split_surname(fake.last_name())
            first = fake.first_name()
            second = fake.first_name() if rng.random() < 0.4 else ""
            first_names = f"{first} {second}".strip()
            rows.append(
                Person(
                    owner=org,
                    first_names=first_names,
                    initials="".join(f"{n[0]}." for n in first_names.split()),
                    surname_prefix=prefix,
                    surname=surname,
                    birth_date=date(rng.randint(1945, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                    bsn=test_bsn(rng),
                    address_id=rng.choice(address_ids),
                    confidentiality=rng.choice(levels),
                )
            )
        Person.objects.bulk_create(rows)
    forms = [c for c, _ in Company.LegalForm.choices]
    weights = [30, 2, 12, 2, 35, 10, 4, 2, 3]
    for start in range(0, n_companies, batch):
        rows = []
        for _ in range(min(batch, n_companies - start)):
            form = rng.choices(forms, weights)[0]
            base = fake.last_name() if rng.random() < 0.5 else fake.company()
            name = {"stichting": f"Stichting {base}", "vereniging": f"Vereniging {base}"}.get(form, base)
            rows.append(
                Company(
                    owner=org, name=name, legal_form=form, kvk_number=f"{rng.randint(90_000_000, 99_999_999)}",
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
