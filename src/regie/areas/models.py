"""Wijken and buurten of a municipality (CBS codes, GeoJSON boundaries) and the register of
risk locations (risicolocaties) in them."""

from django.db import models

from regie.accounts.roles import AREAS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel


class Boundary(models.Model):
    """A boundary imported from GeoJSON (``regie import-areas``): the geometry as GeoJSON text in
    WGS84 (longitude, latitude) plus its bounding box, so a point look-up first narrows the
    candidates in the database and only then tests the polygons (``areas.geo``)."""

    geometry = models.TextField("geometrie (GeoJSON)", blank=True)
    min_lon = models.FloatField("west", null=True, blank=True)
    min_lat = models.FloatField("zuid", null=True, blank=True)
    max_lon = models.FloatField("oost", null=True, blank=True)
    max_lat = models.FloatField("noord", null=True, blank=True)

    class Meta:
        abstract = True


class Wijk(OwnedModel, Boundary):
    need_to_know = AREAS
    personal_data = False

    code = models.CharField("CBS-wijkcode", max_length=10)
    name = models.CharField("naam", max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = "wijk"
        verbose_name_plural = "wijken"
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="unique_wijk_code")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding and self.confidentiality == Confidentiality.ZAAKVERTROUWELIJK:
            self.confidentiality = Confidentiality.OPENBAAR
        super().save(*args, **kwargs)


class Buurt(OwnedModel, Boundary):
    need_to_know = AREAS
    personal_data = False

    wijk = models.ForeignKey(Wijk, on_delete=models.CASCADE, related_name="buurten", verbose_name="wijk")
    code = models.CharField("CBS-buurtcode", max_length=12)
    name = models.CharField("naam", max_length=120)
    postcode_areas = models.CharField(
        "postcodegebieden", max_length=200, blank=True, help_text="Viercijferige postcodes in deze buurt, komma-gescheiden."
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "buurt"
        verbose_name_plural = "buurten"
        constraints = [models.UniqueConstraint(fields=["owner", "code"], name="unique_buurt_code")]

    def __str__(self):
        return self.name


from .indicator_models import AreaIndicator
from .picture_models import PictureSnapshot, ThemeRating
from .risk_models import RiskLocation, RiskLocationEvent, RiskLocationLink

__all__ = ["AreaIndicator", "Boundary", "Buurt", "PictureSnapshot", "RiskLocation", "RiskLocationEvent", "RiskLocationLink", "ThemeRating", "Wijk"]
