"""The indicator definitions over the registers Regie already holds (issue 11, point 2).

Each reads through the scoped managers under an organisation access of its own (as
``measures.tables._counts`` does), for the whole municipality, and returns an aggregate only.
Registered from :meth:`regie.plans.apps.PlansConfig.ready` through :func:`indicators.register`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.utils import timezone

from regie.accounts.roles import BIBOB, CONTROLS, MEASURES, MEETINGS, SIGNALS
from regie.organisations.access import organisation_access

from .indicators import IndicatorDefinition, register

#: four weeks from receipt to the first discussion (seed 000 §5.4: signals pushed from meeting to meeting)
DISCUSSION_DAYS = 28


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))


def _access(organisation, what: str, categories: set[str]):
    return organisation_access(organisation, f"indicator {what}", frozenset(categories))


def controls_held(organisation, start: date, end: date) -> int:
    from regie.controls.models import Control

    access = _access(organisation, "integrale controles", {CONTROLS})
    return Control.objects.visible_to(access).filter(
        owner_id=organisation.pk, status=Control.Status.EXECUTED, executed_on__gte=start, executed_on__lte=end,
    ).count()


def _meeting_signals(organisation, start: date, end: date):
    from regie.intake.models import Signal

    access = _access(organisation, "signalen", {SIGNALS})
    low, high = _bounds(start, end)
    return Signal.objects.visible_to(access).filter(
        owner_id=organisation.pk, received_at__gte=low, received_at__lt=high,
        label=Signal.Label.SUBVERSIVE, route=Signal.Route.MEETING,
    )


def discussed_within_four_weeks(organisation, start: date, end: date) -> Decimal | None:
    """Of the ondermijning signals routed to the overleg and received in the period, the share
    (percent) with a decision other than "uitstellen" within four weeks of receipt."""
    from regie.meetings.models import AgendaItem, Decision

    received = dict(_meeting_signals(organisation, start, end).values_list("pk", "received_at"))
    if not received:
        return None
    items = AgendaItem.objects.visible_to(_access(organisation, "agenda", {MEETINGS})).filter(signal_id__in=received)
    first: dict[int, datetime] = {}
    for signal_id, decided_at in (Decision.objects.filter(item__in=items).exclude(kind=Decision.Kind.POSTPONE)
                                  .order_by("decided_at").values_list("item__signal_id", "decided_at")):
        first.setdefault(signal_id, decided_at)
    on_time = sum(1 for pk, at in first.items() if at - received[pk] <= timedelta(days=DISCUSSION_DAYS))
    return (Decimal(100 * on_time) / len(received)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def median_days_to_intervention(organisation, start: date, end: date) -> Decimal | None:
    """Median days from receipt to the first intervention or measure, over the signals received
    in the period that reached one."""
    from regie.intake.models import Signal, SignalEvent

    access = _access(organisation, "doorlooptijd", {SIGNALS})
    low, high = _bounds(start, end)
    signals = Signal.objects.visible_to(access).filter(owner_id=organisation.pk, received_at__gte=low, received_at__lt=high)
    received = dict(signals.values_list("pk", "received_at"))
    first: dict[int, datetime] = {}
    for signal_id, at in (SignalEvent.objects.filter(signal_id__in=received, kind=SignalEvent.Kind.FIRST_INTERVENTION)
                          .order_by("at").values_list("signal_id", "at")):
        first.setdefault(signal_id, at)
    days = [(at - received[pk]).total_seconds() / 86400 for pk, at in first.items() if at >= received[pk]]
    if not days:
        return None
    return Decimal(str(median(days))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def closures_13b(organisation, start: date, end: date) -> int:
    """Closure decisions (besluit steps dated in the period) of a kind under art. 13b Opiumwet."""
    from django.db.models import Q

    from regie.measures.models import Category, Measure, MeasureStep

    access = _access(organisation, "13b-sluitingen", {MEASURES})
    measures = Measure.objects.visible_to(access).filter(owner_id=organisation.pk, kind__category=Category.CLOSURE).filter(
        Q(kind__code="sluiting-13b") | Q(kind__legal_basis__icontains="13b"))
    return MeasureStep.objects.filter(
        measure__in=measures, kind=MeasureStep.Kind.DECISION, on__gte=start, on__lte=end,
    ).values("measure").distinct().count()


def bibob_files(domain_code: str | None):
    """Bibob files received in the period, in one domain (by code) or in all."""

    def compute(organisation, start: date, end: date) -> int:
        from regie.bibob.models import BibobFile

        access = _access(organisation, "Bibob-dossiers", {BIBOB})
        files = BibobFile.objects.visible_to(access).filter(owner_id=organisation.pk, received_on__gte=start, received_on__lte=end)
        if domain_code is not None:
            files = files.filter(domain__code=domain_code)
        return files.count()

    return compute


def postponed_twice(organisation, start: date, end: date) -> int:
    """Signals whose second "uitstellen" decision fell in the period (each counted once)."""
    from regie.meetings.models import AgendaItem, Decision

    access = _access(organisation, "uitgestelde signalen", {MEETINGS})
    items = AgendaItem.objects.visible_to(access).filter(owner_id=organisation.pk, signal__isnull=False)
    seen: dict[int, int] = {}
    count = 0
    for signal_id, decided_at in (Decision.objects.filter(item__in=items, kind=Decision.Kind.POSTPONE)
                                  .order_by("decided_at", "pk").values_list("item__signal_id", "decided_at")):
        seen[signal_id] = seen.get(signal_id, 0) + 1
        if seen[signal_id] == 2 and start <= timezone.localtime(decided_at).date() <= end:
            count += 1
    return count


def install() -> None:
    register(IndicatorDefinition(
        "controls.held", "Integrale controles uitgevoerd", "aantal",
        "Het aantal integrale controles met de status uitgevoerd, geteld op de uitvoeringsdatum.",
        "Integrale controles", controls_held))
    register(IndicatorDefinition(
        "meetings.discussed_4w", "Signalen binnen vier weken besproken", "%",
        "Van de ondermijningssignalen met route lokaal overleg die in de periode binnenkwamen: het deel met een "
        "besluit (anders dan uitstellen) binnen vier weken na ontvangst.",
        "Signalen en overleggen", discussed_within_four_weeks))
    register(IndicatorDefinition(
        "intake.lead_time_intervention", "Doorlooptijd signaal tot eerste interventie (mediaan)", "dagen",
        "De mediaan van het aantal dagen van ontvangst tot de eerste interventie of maatregel, over de signalen "
        "die in de periode binnenkwamen en er een kregen.",
        "Signalen", median_days_to_intervention))
    register(IndicatorDefinition(
        "measures.closures_13b", "Sluitingen op grond van art. 13b Opiumwet", "aantal",
        "Het aantal sluitingsbesluiten (art. 13b Opiumwet) met een besluitdatum in de periode.",
        "Maatregelen", closures_13b))
    register(IndicatorDefinition(
        "meetings.postponed_twice", "Signalen twee keer of vaker uitgesteld", "aantal",
        "Het aantal signalen dat in de periode voor de tweede keer werd uitgesteld in het overleg.",
        "Overleggen", postponed_twice))
    register(IndicatorDefinition(
        "bibob.files", "Bibob-dossiers (alle domeinen)", "aantal",
        "Het aantal Bibob-dossiers met een aanvraagdatum in de periode.", "Bibob", bibob_files(None)))
    from regie.bibob.catalogue import DEFAULT_DOMAINS

    for code, name, *_ in DEFAULT_DOMAINS:
        register(IndicatorDefinition(
            f"bibob.files.{code}", f"Bibob-dossiers – {name}", "aantal",
            f"Het aantal Bibob-dossiers in het domein {name} met een aanvraagdatum in de periode.",
            "Bibob", bibob_files(code)))
