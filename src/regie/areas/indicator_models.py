"""External area statistics (issue 10, point 4): CBS kerncijfers wijken en buurten,
Veiligheidsmonitor results, Zicht op Ondermijning themes — each value with its source and
reference date (peildatum), shown beside Regie's own figures."""

from django.db import models

from regie.accounts.roles import AREAS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel


class AreaIndicator(OwnedModel):
    need_to_know = AREAS
    personal_data = False

    #: empty wijk and buurt: the value is about the whole municipality
    wijk = models.ForeignKey("areas.Wijk", on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name="wijk")
    buurt = models.ForeignKey("areas.Buurt", on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name="buurt")
    area_code = models.CharField("gebiedscode", max_length=12)
    source = models.CharField("bron", max_length=120)
    indicator = models.CharField("indicator", max_length=200)
    value = models.DecimalField("waarde", max_digits=18, decimal_places=4)
    unit = models.CharField("eenheid", max_length=40, blank=True)
    reference_date = models.DateField("peildatum")

    class Meta:
        ordering = ["area_code", "source", "indicator", "-reference_date"]
        verbose_name = "gebiedsindicator"
        verbose_name_plural = "gebiedsindicatoren"
        constraints = [
            models.UniqueConstraint(fields=["owner", "area_code", "source", "indicator", "reference_date"], name="unique_area_indicator")
        ]

    def save(self, *args, **kwargs):
        if self._state.adding and self.confidentiality == Confidentiality.ZAAKVERTROUWELIJK:
            self.confidentiality = Confidentiality.OPENBAAR
        super().save(*args, **kwargs)
