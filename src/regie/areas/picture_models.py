"""Versioned snapshots of the area picture and qualitative ratings per theme (issue 10 point 3).
Both are about places and themes, never about persons: no personal data."""

from django.db import models

from regie.accounts.roles import AREAS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel


class _Public(OwnedModel):
    need_to_know = AREAS
    personal_data = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding and self.confidentiality == Confidentiality.ZAAKVERTROUWELIJK:
            self.confidentiality = Confidentiality.OPENBAAR  # aggregates of places: read by the council too
        super().save(*args, **kwargs)


class PictureSnapshot(_Public):
    """A frozen copy of the picture's figures (exact counts of the municipality; shown suppressed
    to users without case access), numbered per municipality."""

    version = models.PositiveIntegerField("versie")
    label = models.CharField("omschrijving", max_length=120)
    year = models.PositiveSmallIntegerField("jaar")
    level = models.CharField("niveau", max_length=5, default="wijk")
    theme = models.CharField("thema", max_length=60, blank=True)
    figures = models.JSONField("cijfers", default=dict)
    taken_by = models.CharField("vastgelegd door", max_length=150)

    class Meta:
        ordering = ["-version"]
        verbose_name = "momentopname gebiedsbeeld"
        verbose_name_plural = "momentopnamen gebiedsbeeld"
        constraints = [models.UniqueConstraint(fields=["owner", "version"], name="unique_picture_snapshot_version")]

    def __str__(self):
        return f"v{self.version} {self.label}"


class ThemeRating(_Public):
    """A qualitative rating of a theme, as Zicht op Ondermijning presents them (relative to
    comparable municipalities), with its source and reference date. For the whole municipality or
    one wijk/buurt."""

    class Level(models.TextChoices):
        HIGH = "relatief_hoog", "relatief hoog"
        AVERAGE = "gemiddeld", "gemiddeld"
        LOW = "relatief_laag", "relatief laag"
        UNKNOWN = "onbekend", "onbekend / onvoldoende gegevens"

    theme = models.ForeignKey("intake.Theme", on_delete=models.PROTECT, related_name="+", verbose_name="thema")
    area_code = models.CharField("gebiedscode", max_length=12, blank=True, help_text="Leeg voor de hele gemeente.")
    rating = models.CharField("beoordeling", max_length=16, choices=Level.choices)
    source = models.CharField("bron", max_length=120)
    reference_date = models.DateField("peildatum")
    note = models.CharField("toelichting", max_length=500, blank=True)
    entered_by = models.CharField("ingevoerd door", max_length=150)

    class Meta:
        ordering = ["theme__name", "area_code", "-reference_date", "-pk"]
        verbose_name = "themabeoordeling"
        verbose_name_plural = "themabeoordelingen"
