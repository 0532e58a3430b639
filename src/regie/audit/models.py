"""The append-only, hash-chained access log and stated purposes."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Het audit-log is alleen aan te vullen.")

    def delete(self):
        raise AppendOnlyError("Het audit-log is alleen aan te vullen.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "bekeken"
        LIST = "list", "lijst bekeken"
        SEARCH = "search", "gezocht"
        EXPORT = "export", "geëxporteerd"
        CREATE = "create", "aangemaakt"
        UPDATE = "update", "gewijzigd"
        DELETE = "delete", "verwijderd"
        PURPOSE = "purpose", "doel opgegeven"
        LOGIN = "login", "ingelogd"
        LOGIN_FAILED = "login_failed", "inloggen mislukt"
        LOGOUT = "logout", "uitgelogd"
        DENIED = "denied", "geweigerd"
        SYSTEM = "system", "systeemtaak"

    seq = models.PositiveBigIntegerField("volgnummer", unique=True)
    at = models.DateTimeField("tijdstip", db_index=True)
    user_id = models.BigIntegerField("gebruiker-id", null=True, blank=True, db_index=True)
    username = models.CharField("gebruiker", max_length=150, blank=True, db_index=True)
    organisation_id = models.BigIntegerField("organisatie-id", null=True, blank=True, db_index=True)
    organisation_name = models.CharField("organisatie", max_length=200, blank=True)
    role = models.CharField("rol", max_length=32, blank=True)
    action = models.CharField("handeling", max_length=16, choices=Action.choices)
    object_type = models.CharField("objecttype", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("object-id", max_length=64, blank=True, db_index=True)
    purpose = models.CharField("doel", max_length=500, blank=True)
    detail = models.JSONField("details", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = "auditregel"
        verbose_name_plural = "audit-log"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Een auditregel kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Een auditregel kan niet worden verwijderd.")


class AuditHead(models.Model):
    """The chain's head (last sequence number and hash); its row lock orders concurrent writers."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class PurposeDeclaration(models.Model):
    """A purpose a user stated before opening a record he is not assigned to."""

    class Purpose(models.TextChoices):
        OVERLEG = "overleg", "Voorbereiding van het overleg"
        CASUS = "casus", "Onderzoek in een casus"
        BIBOB = "bibob", "Bibob-onderzoek"
        CONTROLE = "controle", "Voorbereiding van een integrale controle"
        VERZOEK = "verzoek", "Beantwoording van een verzoek van een partner"
        KWALITEIT = "kwaliteit", "Kwaliteitscontrole of audit"

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    purpose = models.CharField("doel", max_length=16, choices=Purpose.choices)
    explanation = models.CharField("toelichting", max_length=500)
    stated_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "object_id", "valid_until"])]
