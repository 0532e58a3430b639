"""The network room: registered purposes (analysis assignments), saved link charts and the review
items that pattern runs leave for an analyst. No score of a person is stored anywhere: a pattern
hit is a question for a person to look at, with its explanation, never a rating."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from regie.accounts.roles import NETWORK
from regie.organisations.scoping import OwnedModel


class AnalysisAssignment(OwnedModel):
    """A registered purpose for network queries outside a case: what is analysed, why, by whom, when."""

    need_to_know = NETWORK

    title = models.CharField("titel", max_length=200)
    description = models.TextField("omschrijving en doel", max_length=4000)
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="analist"
    )
    starts_on = models.DateField("vanaf")
    ends_on = models.DateField("tot en met")

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "analyseopdracht"
        verbose_name_plural = "analyseopdrachten"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "De einddatum ligt vóór de begindatum."})

    def is_current(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on

    def __str__(self):
        return f"Analyseopdracht: {self.title}"


class SavedChart(OwnedModel):
    """A link chart as the analyst left it, saved to a case or an analysis assignment."""

    need_to_know = NETWORK

    title = models.CharField("titel", max_length=200)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name="casus")
    assignment = models.ForeignKey(AnalysisAssignment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="charts", verbose_name="analyseopdracht")
    start = models.CharField("startpunt", max_length=40)
    nodes = models.JSONField("knooppunten", default=list)
    edges = models.JSONField("verbindingen", default=list)
    layout = models.JSONField("opmaak", default=dict, blank=True)
    filters = models.JSONField("filters", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "netwerkkaart"
        verbose_name_plural = "netwerkkaarten"

    def clean(self):
        super().clean()
        if bool(self.case_id) == bool(self.assignment_id):
            raise ValidationError("Een netwerkkaart hoort bij precies één casus of analyseopdracht.")

    def __str__(self):
        return self.title


class PatternHit(OwnedModel):
    """One hit of a saved pattern: a review item for an analyst, never a case or measure by itself."""

    need_to_know = NETWORK

    class Status(models.TextChoices):
        OPEN = "open", "open"
        REVIEWED = "beoordeeld", "beoordeeld"

    pattern = models.CharField("patroon", max_length=40)
    key = models.CharField("sleutel", max_length=200)
    title = models.CharField("omschrijving", max_length=300)
    nodes = models.JSONField("betrokken subjecten", default=list)
    explanation = models.JSONField("uitleg", default=dict)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="casus (doel)")
    assignment = models.ForeignKey(AnalysisAssignment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="hits", verbose_name="analyseopdracht (doel)")
    found_at = models.DateTimeField("gevonden op", default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField("beoordeeld op", null=True, blank=True)
    review_note = models.CharField("beoordeling", max_length=1000, blank=True)

    class Meta:
        ordering = ["status", "-found_at", "-pk"]
        verbose_name = "patroontreffer"
        verbose_name_plural = "patroontreffers"
        indexes = [models.Index(fields=["owner", "pattern", "key"])]

    def __str__(self):
        return self.title
