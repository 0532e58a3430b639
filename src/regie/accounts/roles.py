"""Roles, what each needs to know, and its clearance (DESIGN.md, "Who uses it").

A role's *categories* are the record categories it needs; a domain model declares its
category in ``OwnedModel.need_to_know``. Default deny: a category not listed is invisible.
*clearance* is the highest confidentiality level (1 openbaar … 8 zeer geheim) the role may read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

# Record categories. Domain apps add theirs here when they land.
SUBJECTS = "subjects"  # persons, companies, addresses, vehicles
AUDIT = "audit"  # the access log
AREAS = "areas"  # wijk/buurt geography (no personal data)
SIGNALS = "signals"  # signals (meldingen), their triage and enrichment
MEETINGS = "meetings"  # forums, meetings, agenda items, decisions, actions
CASES = "cases"  # casussen, their interventiematrix and timeline
PARTNERS = "partners"  # the partner registry and sharing rules (no personal data)
ACTIONS = "actions"  # follow-up actions from meetings; non-managers see only their own (meetings.views)
MEASURES = "measures"  # the mayor's instruments (maatregelen), their legal steps and documents
BIBOB = "bibob"  # Bibob files; the LBB advice and the assessment need the file's own assignment (art. 28)
CONTROLS = "controls"  # integrale controles: year plan, control files, field lists and findings
NETWORK = "network"  # link charts, analysis assignments and pattern hits over the subjects registry
PLANS = "plans"  # IVP, uitvoeringsplannen, goals, indicators, audit recommendations (no personal data)
RESILIENCE = "resilience"  # awareness, onboarding overview, capacity, budget, safeguards, projects
INTEGRITY = "integrity"  # the integrity-incident register (restricted)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coördinator / kernteam ondermijning"
    ANALIST = "analist", "Analist / informatiemakelaar"
    PARTNER = "partner", "Partner in het overleg"
    BOA = "boa", "Boa / handhaver"
    BIBOB = "bibob_coordinator", "Bibob-coördinator"
    JURIST = "jurist", "Jurist"
    BURGEMEESTER = "burgemeester", "Burgemeester / portefeuillehouder"
    RAADSLID = "raadslid", "Raadslid"
    PRIVACY = "privacy_officer", "Privacy officer / auditor"
    BEHEERDER = "functioneel_beheerder", "Functioneel beheerder"
    MEDEWERKER = "medewerker", "Medewerker (Meld een vermoeden)"


@dataclass(frozen=True)
class RoleSpec:
    clearance: int
    categories: frozenset[str]
    #: the role can see personal data, so a second factor is mandatory
    personal_data: bool
    #: may read the audit log
    reads_audit: bool = False


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.COORDINATOR: RoleSpec(7, frozenset({SUBJECTS, AREAS, SIGNALS, MEETINGS, CASES, PARTNERS, ACTIONS, MEASURES, BIBOB, CONTROLS, NETWORK, PLANS, RESILIENCE}), True),
    Role.ANALIST: RoleSpec(7, frozenset({SUBJECTS, AREAS, SIGNALS, MEETINGS, CASES, PARTNERS, ACTIONS, MEASURES, BIBOB, CONTROLS, NETWORK, PLANS, RESILIENCE}), True),
    # a partner sees only what is explicitly shared with his organisation (Share)
    Role.PARTNER: RoleSpec(5, frozenset({SUBJECTS, AREAS, SIGNALS, MEETINGS, CASES, ACTIONS, CONTROLS}), True),
    Role.BOA: RoleSpec(4, frozenset({SUBJECTS, AREAS, ACTIONS, CONTROLS}), True),
    Role.BIBOB: RoleSpec(7, frozenset({SUBJECTS, AREAS, ACTIONS, BIBOB}), True),
    Role.JURIST: RoleSpec(6, frozenset({SUBJECTS, AREAS, SIGNALS, CASES, PARTNERS, ACTIONS, MEASURES, BIBOB}), True),
    Role.BURGEMEESTER: RoleSpec(8, frozenset({SUBJECTS, AREAS, SIGNALS, MEETINGS, CASES, PARTNERS, ACTIONS, MEASURES, BIBOB, CONTROLS, PLANS, RESILIENCE, INTEGRITY}), True),
    # the council reads aggregates only: no record category at all
    Role.RAADSLID: RoleSpec(0, frozenset({AREAS, PLANS}), False),
    # the privacy officer reads the log, not case content
    Role.PRIVACY: RoleSpec(3, frozenset({AUDIT, AREAS}), True, reads_audit=True),
    # the functioneel beheerder keeps the partner registry (tasks, powers, sharing rules)
    Role.BEHEERDER: RoleSpec(3, frozenset({AREAS, PARTNERS, PLANS, RESILIENCE}), False),
    # every employee may only report a suspicion
    Role.MEDEWERKER: RoleSpec(0, frozenset(), False),
}


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS.get(role, RoleSpec(0, frozenset(), True))
