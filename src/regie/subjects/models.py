"""The subjects registry, aligned with the FollowTheMoney schemata (mapping in ``ftm.py``).

Persons, companies (and organisations), addresses (with their BAG objects), vehicles and bank
accounts; :class:`Relation` links two of them (ownership, directorship, family, ...), and
:class:`Statement` keeps where a fact came from (source, partner, date, confidentiality).

Relations and statements point at subjects through a generic reference (content type + id)
rather than one nullable foreign key per kind: a relation may join any two kinds FtM allows,
and a new kind of subject needs no new columns. The price: the database does not cascade, so
``services.delete`` removes a subject's relations and statements itself, and readers re-fetch
the referenced subject through its scoped manager (:meth:`Relation.visible_end`).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from regie.accounts.roles import SUBJECTS
from regie.organisations.access import current_access
from regie.organisations.scoping import OwnedModel, owner_has

from .validators import (
    normalise_iban, normalise_kenteken, validate_bag_id, validate_bsn, validate_iban, validate_kenteken, validate_kvk,
    validate_postcode, validate_rsin, validate_sbi, validate_vestigingsnummer,
)

BSN_CONSTRAINT = "unique_person_bsn_per_owner"
DUPLICATE_BSN = "Uw organisatie heeft al een persoon met dit BSN in het register."


class Address(OwnedModel):
    need_to_know = SUBJECTS

    street = models.CharField("straat", max_length=120)
    house_number = models.PositiveIntegerField("huisnummer")
    house_letter = models.CharField("huisletter", max_length=1, blank=True)
    addition = models.CharField("toevoeging", max_length=4, blank=True)
    postcode = models.CharField("postcode", max_length=7, validators=[validate_postcode])
    city = models.CharField("plaats", max_length=80)
    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="buurt"
    )
    # the BAG objects behind the address (FtM: a RealEstate next to the Address)
    bag_nummeraanduiding_id = models.CharField(
        "BAG-nummeraanduiding", max_length=16, blank=True, db_index=True, validators=[validate_bag_id]
    )
    bag_verblijfsobject_id = models.CharField("BAG-verblijfsobject", max_length=16, blank=True, validators=[validate_bag_id])
    bag_pand_id = models.CharField("BAG-pand", max_length=16, blank=True, validators=[validate_bag_id])
    latitude = models.DecimalField("breedtegraad", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("lengtegraad", max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["street", "house_number", "house_letter", "addition"]
        verbose_name = "adres"
        verbose_name_plural = "adressen"
        indexes = [models.Index(fields=["owner", "postcode", "house_number"])]

    def clean(self):
        super().clean()
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": "De breedtegraad ligt tussen -90 en 90."})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": "De lengtegraad ligt tussen -180 en 180."})

    def __str__(self):
        number = f"{self.house_number}{self.house_letter}"
        if self.addition:
            number += f"-{self.addition}"
        postcode = f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        return f"{self.street} {number}, {postcode} {self.city}"


class Person(OwnedModel):
    need_to_know = SUBJECTS

    first_names = models.CharField("voornamen", max_length=120, blank=True)
    initials = models.CharField("voorletters", max_length=20, blank=True)
    surname_prefix = models.CharField("tussenvoegsel", max_length=20, blank=True)
    surname = models.CharField("achternaam", max_length=120)
    birth_date = models.DateField("geboortedatum", null=True, blank=True)
    bsn = models.CharField("BSN", max_length=9, blank=True, validators=[validate_bsn])
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents", verbose_name="adres"
    )

    class Meta:
        ordering = ["surname", "first_names"]
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        indexes = [models.Index(fields=["owner", "surname"])]
        constraints = [
            # one person per BSN per owner: concurrent first sightings must not register it twice
            models.UniqueConstraint(
                fields=["owner", "bsn"], condition=~Q(bsn=""), name=BSN_CONSTRAINT,
                violation_error_message=DUPLICATE_BSN,
            )
        ]

    def __str__(self):
        return self.full_name

    def get_constraints(self):
        # the BSN rule is checked in clean(), not by Django through the (scoped) default manager
        return [(model, [c for c in found if c.name != BSN_CONSTRAINT]) for model, found in super().get_constraints()]

    def clean(self):
        """One person per BSN per owner, as the constraint in the database says, but as a Dutch
        form or API error. Django would check the constraint through the default manager, which
        is scoped: a duplicate above the caller's clearance would pass and then fail in the
        database. So all of the owner's persons are asked, through the frame (the answer names no one). A new row
        from a form has no owner yet: it will be the caller's organisation."""
        super().clean()
        access = current_access()
        owner_id = self.owner_id or (access.organisation_id if access is not None else None)
        if self.bsn and owner_id:
            if owner_has(type(self), owner_id, exclude_pk=self.pk, bsn=self.bsn):
                raise ValidationError({"bsn": DUPLICATE_BSN}, code="unique")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names or self.initials, self.surname_prefix, self.surname) if p)


class Company(OwnedModel):
    need_to_know = SUBJECTS

    class LegalForm(models.TextChoices):
        BV = "bv", "B.V."
        NV = "nv", "N.V."
        VOF = "vof", "V.O.F."
        CV = "cv", "C.V."
        EENMANSZAAK = "eenmanszaak", "eenmanszaak"
        STICHTING = "stichting", "stichting"
        VERENIGING = "vereniging", "vereniging"
        COOPERATIE = "cooperatie", "coöperatie"
        MAATSCHAP = "maatschap", "maatschap"
        ONBEKEND = "onbekend", "onbekend"

    name = models.CharField("naam", max_length=200)
    legal_form = models.CharField("rechtsvorm", max_length=16, choices=LegalForm.choices)
    kvk_number = models.CharField("KvK-nummer", max_length=8, blank=True, validators=[validate_kvk])
    vestigingsnummer = models.CharField(
        "vestigingsnummer", max_length=12, blank=True, validators=[validate_vestigingsnummer]
    )
    rsin = models.CharField("RSIN", max_length=9, blank=True, validators=[validate_rsin])
    trade_names = models.JSONField("handelsnamen", default=list, blank=True)
    sbi_code = models.CharField("SBI-code", max_length=5, blank=True, validators=[validate_sbi])
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="companies", verbose_name="adres"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "bedrijf"
        verbose_name_plural = "bedrijven"
        indexes = [models.Index(fields=["owner", "name"]), models.Index(fields=["owner", "kvk_number"])]

    #: legal forms FtM calls an Organization rather than a Company
    ORGANISATION_FORMS = frozenset({"stichting", "vereniging", "cooperatie"})

    def clean(self):
        super().clean()
        names = self.trade_names
        if not isinstance(names, list) or not all(isinstance(n, str) and 0 < len(n.strip()) <= 200 for n in names):
            raise ValidationError({"trade_names": "Handelsnamen zijn een lijst van namen van hoogstens 200 tekens."})

    def __str__(self):
        return f"{self.name} {self.get_legal_form_display()}" if self.legal_form not in ("eenmanszaak", "stichting", "vereniging", "maatschap", "onbekend") else self.name


class Vehicle(OwnedModel):
    need_to_know = SUBJECTS

    kenteken = models.CharField("kenteken", max_length=6, validators=[validate_kenteken])
    make = models.CharField("merk", max_length=60, blank=True)
    model_name = models.CharField("handelsbenaming", max_length=80, blank=True)

    class Meta:
        ordering = ["kenteken"]
        verbose_name = "voertuig"
        verbose_name_plural = "voertuigen"
        indexes = [models.Index(fields=["owner", "kenteken"])]

    def clean_fields(self, exclude=None):
        try:  # normalised first: '12-ABC-3' is longer than the column; a bad plate fails below
            self.kenteken = normalise_kenteken(self.kenteken)
        except ValidationError:
            pass
        super().clean_fields(exclude=exclude)

    def __str__(self):
        from .validators import format_kenteken

        return format_kenteken(self.kenteken)


class BankAccount(OwnedModel):
    need_to_know = SUBJECTS

    iban = models.CharField("IBAN", max_length=34, validators=[validate_iban])
    bank_name = models.CharField("bank", max_length=120, blank=True)

    class Meta:
        ordering = ["iban"]
        verbose_name = "bankrekening"
        verbose_name_plural = "bankrekeningen"
        indexes = [models.Index(fields=["owner", "iban"])]

    def clean_fields(self, exclude=None):
        try:  # normalised first (no spaces, upper case); a bad IBAN fails below
            self.iban = normalise_iban(self.iban)
        except ValidationError:
            pass
        super().clean_fields(exclude=exclude)

    def __str__(self):
        return " ".join(self.iban[i:i + 4] for i in range(0, len(self.iban), 4))


#: the models a relation or statement may point at, by their label in the registry
SUBJECT_MODELS = {"persoon": Person, "bedrijf": Company, "adres": Address, "voertuig": Vehicle, "bankrekening": BankAccount}


def subject_label(model) -> str:
    return next(label for label, m in SUBJECT_MODELS.items() if m is model)


class _SubjectReference(models.Model):
    """A generic reference to one subject of the registry (see the module docstring)."""

    class Meta:
        abstract = True

    @staticmethod
    def check_subject(content_type, object_id, field: str) -> None:
        model = content_type.model_class() if content_type is not None else None
        if model not in SUBJECT_MODELS.values():
            raise ValidationError({field: "Dit is geen subject uit het register."})
        # through the scoped manager: one may only link what one may see (invisible = missing)
        if object_id is None or not model.objects.filter(pk=object_id).exists():
            raise ValidationError({field: "Dit subject bestaat niet."})


def _subject_types():
    return models.Q(app_label="subjects", model__in=["person", "company", "address", "vehicle", "bankaccount"])


class Relation(OwnedModel, _SubjectReference):
    """A dated link between two subjects; ``source`` and ``target`` in FtM's direction
    (owner -> asset, director -> organisation, person -> relative, employee -> employer, ...)."""

    need_to_know = SUBJECTS

    class Kind(models.TextChoices):
        OWNERSHIP = "ownership", "eigendom"
        DIRECTORSHIP = "directorship", "bestuur"
        FAMILY = "family", "familie"
        ASSOCIATE = "associate", "bekende"
        OCCUPANCY = "occupancy", "bewoning"
        EMPLOYMENT = "employment", "dienstverband"
        UNKNOWN = "unknown", "onbekende relatie"

    kind = models.CharField("soort", max_length=16, choices=Kind.choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", limit_choices_to=_subject_types, verbose_name="soort van"
    )
    source_id = models.PositiveBigIntegerField("van")
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", limit_choices_to=_subject_types, verbose_name="soort naar"
    )
    target_id = models.PositiveBigIntegerField("naar")
    role = models.CharField("rol", max_length=120, blank=True, help_text="Bijvoorbeeld ‘bestuurder’ of ‘broer’.")
    start_date = models.DateField("vanaf", null=True, blank=True)
    end_date = models.DateField("tot en met", null=True, blank=True)

    class Meta:
        ordering = ["kind", "start_date", "pk"]
        verbose_name = "relatie"
        verbose_name_plural = "relaties"
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["target_type", "target_id"]),
            # the network's saved patterns over the whole registry: directors per person, and
            # occupancies per address in order of their start
            models.Index(fields=["kind", "source_type", "source_id", "target_id"], name="relation_kind_source_idx"),
            models.Index(fields=["kind", "target_type", "target_id", "start_date"], name="relation_kind_target_idx"),
            models.Index(fields=["source_type", "source_id"], condition=models.Q(role__icontains="notaris"),
                         name="relation_notary_idx"),
        ]

    def clean(self):
        super().clean()
        self.check_subject(self.source_type if self.source_type_id else None, self.source_id, "source_id")
        self.check_subject(self.target_type if self.target_type_id else None, self.target_id, "target_id")
        if self.source_type_id == self.target_type_id and self.source_id == self.target_id:
            raise ValidationError("Een relatie verbindt twee verschillende subjecten.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "De einddatum ligt vóór de begindatum."})

    def visible_end(self, which: str):
        """The source or target subject, only if the caller may see it (scoped manager)."""
        content_type = getattr(self, f"{which}_type")
        return content_type.model_class().objects.filter(pk=getattr(self, f"{which}_id")).first()

    def __str__(self):
        return f"{self.get_kind_display()} ({self.role})" if self.role else self.get_kind_display()


class Statement(OwnedModel, _SubjectReference):
    """Where facts about one subject or relation came from: provenance, one row per source row."""

    need_to_know = SUBJECTS

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="soort")
    subject_id = models.PositiveBigIntegerField("subject")
    source = models.CharField("bron", max_length=120, help_text="Bijvoorbeeld ‘KvK-uittreksel’, ‘BRP’, ‘BAG’ of ‘signaal M-…’.")
    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="partner",
    )
    date = models.DateField("datum")
    facts = models.JSONField("gegevens", default=list, blank=True, help_text="Namen van de velden die deze bron geeft.")
    reference = models.CharField("kenmerk", max_length=200, blank=True, help_text="Bijvoorbeeld bestand en regel.")

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "herkomst"
        verbose_name_plural = "herkomst"
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def clean(self):
        super().clean()
        model = self.subject_type.model_class() if self.subject_type_id else None
        if model is Relation:
            if not Relation.objects.filter(pk=self.subject_id).exists():
                raise ValidationError({"subject_id": "Deze relatie bestaat niet."})
        else:
            self.check_subject(self.subject_type if self.subject_type_id else None, self.subject_id, "subject_id")

    def __str__(self):
        return f"{self.source} ({self.date:%d-%m-%Y})"


from .review_models import MatchCandidate, MatchJudgement, MergeRecord  # noqa: E402,F401  (registered with the app)
