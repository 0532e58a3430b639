"""Wijken and buurten of a municipality (CBS codes). The area picture arrives with its issue."""

from django.db import models

from regie.accounts.roles import AREAS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel


class Wijk(OwnedModel):
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


class Buurt(OwnedModel):
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
