"""Confidentiality levels per record, after the ZGW scale (vertrouwelijkheidaanduiding)."""

from django.db import models


class Confidentiality(models.IntegerChoices):
    OPENBAAR = 1, "openbaar"
    BEPERKT_OPENBAAR = 2, "beperkt openbaar"
    INTERN = 3, "intern"
    ZAAKVERTROUWELIJK = 4, "zaakvertrouwelijk"
    VERTROUWELIJK = 5, "vertrouwelijk"
    CONFIDENTIEEL = 6, "confidentieel"
    GEHEIM = 7, "geheim"
    ZEER_GEHEIM = 8, "zeer geheim"
