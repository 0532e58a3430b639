"""Persons, companies and addresses: the minimal registry the foundation needs.

The subjects-and-matching issue extends these towards the FollowTheMoney schemata.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from regie.accounts.roles import SUBJECTS
from regie.organisations.access import current_access
from regie.organisations.scoping import OwnedModel, owner_has

from .validators import validate_bsn, validate_kvk, validate_postcode

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

    class Meta:
        ordering = ["street", "house_number", "house_letter", "addition"]
        verbose_name = "adres"
        verbose_name_plural = "adressen"
        indexes = [models.Index(fields=["owner", "postcode", "house_number"])]

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
    address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="companies", verbose_name="adres"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "bedrijf"
        verbose_name_plural = "bedrijven"
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self):
        return f"{self.name} {self.get_legal_form_display()}" if self.legal_form not in ("eenmanszaak", "stichting", "vereniging", "maatschap", "onbekend") else self.name
