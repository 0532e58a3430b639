"""The register of risk locations (risicolocaties): business parks, holiday parks, premises and
branches where the municipality and police suspect subversive crime.

The lifecycle follows seed 001's risk-location approach in district West (§3.3): a *nulmeting*
(baseline: 142 locations there, 207 flagged since the start), then *in beeld brengen* — the
suspicion confirmed or refuted ("vermoedens van ondermijning bevestigen of ontkrachten"; for "ruim
100 locaties" still open) — and finally *aanpakken* (45 locations tackled in West-Utrecht in 2021).
"""

from django.db import models

from regie.accounts.roles import CASES
from regie.organisations.scoping import OwnedModel


class RiskLocation(OwnedModel):
    # names premises and businesses (and through them their owners): case-work need-to-know
    need_to_know = CASES

    class Kind(models.TextChoices):
        BUSINESS_PARK = "bedrijventerrein", "bedrijventerrein"
        HOLIDAY_PARK = "vakantiepark", "vakantiepark"
        PREMISES = "pand", "pand"
        BRANCH = "branche", "branche"
        OTHER = "overig", "overig"

    class Status(models.TextChoices):
        BASELINE = "nulmeting", "nulmeting"
        IN_VIEW = "in_beeld", "in beeld brengen"
        CONFIRMED = "bevestigd", "in beeld: vermoeden bevestigd"
        REFUTED = "ontkracht", "in beeld: vermoeden ontkracht"
        TACKLED = "aangepakt", "aangepakt"

    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    name = models.CharField("naam", max_length=200)
    address = models.ForeignKey(
        "subjects.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="adres"
    )
    buurt = models.ForeignKey(
        "areas.Buurt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="buurt"
    )
    branch = models.CharField("branche", max_length=120, blank=True, help_text="Bijvoorbeeld ‘autobranche’.")
    description = models.TextField("toelichting", blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.BASELINE)
    status_on = models.DateField("status sinds")
    measures = models.ManyToManyField("measures.Measure", blank=True, related_name="+", verbose_name="maatregelen")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "risicolocatie"
        verbose_name_plural = "risicolocaties"

    def __str__(self):
        return self.name


class RiskLocationEvent(models.Model):
    """One dated status of a risk location (the first is its registration); reached only through
    the location, so a plain child row."""

    location = models.ForeignKey(RiskLocation, on_delete=models.CASCADE, related_name="events", verbose_name="risicolocatie")
    status = models.CharField("status", max_length=12, choices=RiskLocation.Status.choices)
    on = models.DateField("datum")
    reason = models.TextField("toelichting", blank=True)
    username = models.CharField("door", max_length=150, blank=True)
    created_at = models.DateTimeField("vastgelegd", auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "statuswijziging"
        verbose_name_plural = "statuswijzigingen"


class RiskLocationLink(models.Model):
    """A generic link to another room's record — the hook for integrale controles
    (``controls.Control``), which this app does not import: ``areas.risk.link_record``."""

    location = models.ForeignKey(RiskLocation, on_delete=models.CASCADE, related_name="links", verbose_name="risicolocatie")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField("gekoppeld", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["location", "content_type", "object_id"], name="unique_risk_location_link")
        ]
