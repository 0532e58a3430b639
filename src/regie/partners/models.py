"""The partner registry (who sits at the table, why, and what each may share) and the police's
"niet interveniëren zonder overleg" flags."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from regie.accounts.roles import PARTNERS
from regie.organisations.scoping import OwnedModel

from .sharing import validate_field_groups, validate_theme_codes


class PartnerProfile(OwnedModel):
    """What one partner organisation does and may bring in and receive, kept by a municipality."""

    need_to_know = PARTNERS
    personal_data = False  # organisations and their tasks; contact persons are professionals

    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partnerorganisatie"
    )
    tasks = models.TextField("taken", max_length=4000, blank=True)
    powers = models.TextField("bevoegdheden", max_length=4000, blank=True)
    interests = models.TextField("belangen", max_length=4000, blank=True)
    legal_basis = models.CharField(
        "grondslag", max_length=300,
        help_text="Convenant en artikel of wettelijke grondslag, bijvoorbeeld 'Convenant RIEC Middenland 2023, art. 5 lid 2'.",
    )
    may_bring = models.TextField("mag inbrengen", max_length=4000, blank=True, help_text="Welke informatie de partner inbrengt.")
    may_receive = models.JSONField(
        "mag ontvangen", default=list, blank=True, validators=[validate_field_groups],
        help_text="Gegevenscategorieën die de partner uit Regie mag ontvangen.",
    )
    theme_codes = models.JSONField(
        "thema's", default=list, blank=True, validators=[validate_theme_codes],
        help_text="Thema's waarvoor de partner aan tafel zit; leeg is alle thema's.",
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = "partnerprofiel"
        verbose_name_plural = "partnerprofielen"
        constraints = [models.UniqueConstraint(fields=["owner", "partner"], name="unique_partner_profile_per_owner")]

    def __str__(self):
        return self.partner.name

    def clean(self):
        errors = {}
        if self.owner_id is not None and self.owner_id == self.partner_id:
            errors["partner"] = "Een organisatie is geen partner van zichzelf."
        if self.owner_id is not None and isinstance(self.theme_codes, list):
            from regie.intake.services import catalogue_for

            known = set(catalogue_for(self.owner_id).values_list("code", flat=True))
            unknown = [code for code in self.theme_codes if isinstance(code, str) and code not in known]
            if unknown:
                errors["theme_codes"] = f"Onbekend thema: {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)


class ContactPerson(models.Model):
    """A contact person at the partner (reached only through its profile)."""

    profile = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="contacts", verbose_name="partnerprofiel")
    name = models.CharField("naam", max_length=200)
    function = models.CharField("functie", max_length=200, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoon", max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "contactpersoon"
        verbose_name_plural = "contactpersonen"

    def __str__(self):
        return f"{self.name} ({self.function})" if self.function else self.name


class NoInterventionFlag(models.Model):
    """"Niet interveniëren zonder overleg": set by the police on a record, without a reason.

    Not an OwnedModel: whoever may see the flagged record sees its flags, so callers only ask
    for the flags of a record they fetched through its scoped manager (see :mod:`.flags`).
    """

    owner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="eigenaar van het object"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="soort object")
    object_id = models.PositiveBigIntegerField("object-id")
    target = GenericForeignKey("content_type", "object_id")
    set_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="gemarkeerd door organisatie"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="gemarkeerd door"
    )
    set_at = models.DateTimeField("gemarkeerd op", auto_now_add=True)
    lifted_at = models.DateTimeField("opgeheven op", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="opgeheven door"
    )

    class Meta:
        ordering = ["set_at"]
        verbose_name = "markering niet interveniëren zonder overleg"
        verbose_name_plural = "markeringen niet interveniëren zonder overleg"
        indexes = [models.Index(fields=["content_type", "object_id", "lifted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "set_by_organisation"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_flag_per_target_and_organisation",
            )
        ]

    def __str__(self):
        return f"Niet interveniëren zonder overleg met {self.set_by_organisation}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None
