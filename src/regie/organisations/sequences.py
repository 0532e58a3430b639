"""Numbers per organisation and year (CAS-2026-0001, MTR-2026-0001, ...), drawn under a row lock
so two records made at once never share one. Each room keeps its own counter model with the
fields ``organisation``, ``year`` and ``last``."""

from django.db import IntegrityError, transaction


def next_number(sequence_model, organisation_id: int, year: int) -> int:
    try:
        with transaction.atomic():
            sequence_model.objects.get_or_create(organisation_id=organisation_id, year=year)
    except IntegrityError:  # created by a concurrent request in the meantime
        pass
    sequence = sequence_model.objects.select_for_update().get(organisation_id=organisation_id, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
