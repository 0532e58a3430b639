"""Tenants (organisations), regions and districts with dated membership, and shares."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Organisation(models.Model):
    """A tenant: a municipality, the RIEC or a partner organisation."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", "Gemeente"
        RIEC = "riec", "RIEC"
        POLITIE = "politie", "Politie"
        OM = "om", "Openbaar Ministerie"
        BELASTINGDIENST = "belastingdienst", "Belastingdienst"
        OMGEVINGSDIENST = "omgevingsdienst", "Omgevingsdienst"
        ARBEIDSINSPECTIE = "arbeidsinspectie", "Nederlandse Arbeidsinspectie"
        SOCIALE_DIENST = "sociale_dienst", "Sociale dienst"
        WONINGCORPORATIE = "woningcorporatie", "Woningcorporatie"
        OVERIG = "overig", "Overige partner"

    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=32, choices=Kind.choices)
    code = models.CharField(
        "code", max_length=16, blank=True, help_text="CBS-gemeentecode of eigen code van de partner."
    )
    inhabitants = models.PositiveIntegerField("inwoners", null=True, blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"

    def __str__(self):
        return self.name

    def regions_on(self, day: date | None = None):
        day = day or timezone.localdate()
        # one filter() call: every condition must hold for the same membership row
        return Region.objects.filter(
            Q(memberships__valid_until__isnull=True) | Q(memberships__valid_until__gt=day),
            memberships__organisation=self,
            memberships__valid_from__lte=day,
        ).distinct()


class Region(models.Model):
    """A RIEC region, a police district or another cluster of municipalities."""

    class Kind(models.TextChoices):
        RIEC_REGIO = "riec_regio", "RIEC-regio"
        DISTRICT = "district", "District"
        VEILIGHEIDSREGIO = "veiligheidsregio", "Veiligheidsregio"

    name = models.CharField("naam", max_length=200, unique=True)
    kind = models.CharField("soort", max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="valt onder"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "regio"
        verbose_name_plural = "regio's"

    def __str__(self):
        return self.name

    def members_on(self, day: date | None = None):
        day = day or timezone.localdate()
        # one filter() call: every condition must hold for the same membership row
        return Organisation.objects.filter(
            Q(region_memberships__valid_until__isnull=True) | Q(region_memberships__valid_until__gt=day),
            region_memberships__region=self,
            region_memberships__valid_from__lte=day,
        ).distinct()


class RegionMembership(models.Model):
    """Dated membership: a municipality can move to another region (seed 001)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="region_memberships", verbose_name="organisatie"
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships", verbose_name="regio")
    valid_from = models.DateField("vanaf")
    valid_until = models.DateField("tot", null=True, blank=True, help_text="Exclusief; leeg is lopend.")

    class Meta:
        ordering = ["organisation", "valid_from"]
        verbose_name = "regiolidmaatschap"
        verbose_name_plural = "regiolidmaatschappen"

    def __str__(self):
        return f"{self.organisation} in {self.region} vanaf {self.valid_from}"

    def clean(self):
        if self.valid_from is None or self.region_id is None or self.organisation_id is None:
            return  # the missing field itself is reported by clean_fields()
        if self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "De einddatum moet na de begindatum liggen."})
        overlapping = RegionMembership.objects.filter(
            organisation_id=self.organisation_id, region__kind=self.region.kind
        ).exclude(pk=self.pk)
        for other in overlapping:
            ends_after_start = other.valid_until is None or other.valid_until > self.valid_from
            starts_before_end = self.valid_until is None or other.valid_from < self.valid_until
            if ends_after_start and starts_before_end:
                raise ValidationError(
                    f"{self.organisation} is in deze periode al lid van {other.region} ({other.region.get_kind_display()})."
                )


class Share(models.Model):
    """An explicit grant of one record to another organisation, with its legal basis."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shares_received", verbose_name="gedeeld met"
    )
    basis = models.CharField("grondslag", max_length=300, help_text="Convenant en artikel, of wettelijke grondslag.")
    granted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="gedeeld door"
    )
    valid_from = models.DateTimeField("vanaf", default=timezone.now)
    valid_until = models.DateTimeField("tot", null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "organisation", "object_id"])]
        verbose_name = "deling"
        verbose_name_plural = "delingen"

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id} gedeeld met {self.organisation}"
