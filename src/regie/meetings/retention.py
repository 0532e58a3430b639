"""Agenda snapshots and escalation packages copy personal data from a signal. When the signal is
removed (intake retention, docs/privacy.md), those copies lose their personal data too; the
items themselves stay, so the minutes still show that something was discussed and decided."""

from __future__ import annotations

from regie.accounts.roles import MEETINGS
from regie.organisations.access import organisation_access
from regie.organisations.models import Organisation

from .models import AgendaItem, Escalation
from .prepare import scrub


def scrub_signal(sender, instance, **kwargs) -> None:
    owner = Organisation.objects.filter(pk=instance.owner_id).first()
    if owner is None:
        return
    access = organisation_access(owner, "bewaartermijn signalen", frozenset({MEETINGS}))
    for item in AgendaItem.objects.visible_to(access).filter(signal_id=instance.pk):
        item.snapshot = scrub(item.snapshot)
        item.save(update_fields=["snapshot"])
    for esc in Escalation.objects.visible_to(access).filter(signal_id=instance.pk):
        esc.package = scrub(esc.package)
        esc.save(update_fields=["package"])
