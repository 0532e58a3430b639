"""Entity resolution decided by people (issue 8 point 3): candidate pairs, their judgements and
the merges those judgements carried out.

A :class:`MatchCandidate` is two subjects of one kind and one owner that may be the same, with the
matching library's score and explanation. People judge it (zelfde / niet dezelfde / onzeker); each
judgement is an append-only :class:`MatchJudgement`. "zelfde" merges: the rows that pointed at the
merged subject are moved to the surviving one and listed exactly in a :class:`MergeRecord`, so a
later split moves precisely those rows back. Only identical strong identifiers (BSN, KvK-nummer
with vestigingsnummer, IBAN, kenteken) are judged "zelfde" automatically, and that is a judgement
in the history too.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from regie.accounts.roles import SUBJECTS
from regie.organisations.scoping import OwnedModel


class MatchCandidate(OwnedModel):
    need_to_know = SUBJECTS

    class Status(models.TextChoices):
        OPEN = "open", "open"
        SAME = "zelfde", "zelfde"
        DIFFERENT = "niet_dezelfde", "niet dezelfde"
        UNSURE = "onzeker", "onzeker"

    class Source(models.TextChoices):
        REGISTRATION = "registratie", "registratie in het register"
        IMPORT = "import", "registerimport"
        BIBOB = "bibob", "Bibob-dossier"
        SIGNAL = "signaal", "signaal"
        DEMO = "demo", "demodata"

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="soort")
    left_id = models.PositiveBigIntegerField("subject 1")  # always the lower id of the two
    right_id = models.PositiveBigIntegerField("subject 2")
    score = models.FloatField("score")
    explanation = models.JSONField("uitleg", default=dict, blank=True)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    automatic = models.BooleanField("automatisch gekoppeld", default=False)
    source = models.CharField("voorgesteld bij", max_length=16, choices=Source.choices)
    source_reference = models.CharField("kenmerk van de bron", max_length=200, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = "mogelijke dubbeling"
        verbose_name_plural = "mogelijke dubbelingen"
        constraints = [
            models.UniqueConstraint(fields=["owner", "subject_type", "left_id", "right_id"], name="unique_match_candidate_pair"),
            models.CheckConstraint(condition=models.Q(left_id__lt=models.F("right_id")), name="match_candidate_ordered"),
        ]

    def __str__(self):
        return f"Mogelijke dubbeling {self.pk}"


class MergeRecord(models.Model):
    """One merge carried out for a candidate: which subject survived, which was merged into it,
    and exactly which rows moved (``moved``: ``[{"model": label, "field": name, "pk": id}]``)."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.PROTECT, related_name="merges")
    survivor_id = models.PositiveBigIntegerField("blijvend subject")
    merged_id = models.PositiveBigIntegerField("samengevoegd subject")
    moved = models.JSONField("verplaatste rijen", default=list)
    kept = models.JSONField("niet verplaatste rijen", default=list, blank=True)
    merged_at = models.DateTimeField("samengevoegd op", auto_now_add=True)
    split_at = models.DateTimeField("gesplitst op", null=True, blank=True)
    restored = models.PositiveIntegerField("teruggezette rijen", default=0)

    class Meta:
        ordering = ["merged_at", "pk"]
        verbose_name = "samenvoeging"
        verbose_name_plural = "samenvoegingen"
        indexes = [models.Index(fields=["merged_id", "split_at"])]


class MatchJudgement(models.Model):
    """Append-only history of a candidate: who judged what, when, and why."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.PROTECT, related_name="judgements")
    verdict = models.CharField("oordeel", max_length=16, choices=MatchCandidate.Status.choices)
    previous = models.CharField("vorige status", max_length=16, choices=MatchCandidate.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                           verbose_name="door")
    automatic = models.BooleanField("automatisch", default=False)
    at = models.DateTimeField("op", auto_now_add=True)
    reason = models.CharField("toelichting", max_length=500, blank=True)
    merge = models.ForeignKey(MergeRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "oordeel"
        verbose_name_plural = "oordelen"
