"""Helpers shared by the browser tests: test data, page visits and the axe check."""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.models import Assignment
from regie.subjects.models import Address, Company, Person
from tests.conftest import PASSWORD

#: axe impact levels that fail a test
BLOCKING_IMPACTS = ("serious", "critical")

_axe = None


def _get_axe():
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def visit(page, url: str, status: int = 200):
    """Open ``url`` (relative to the live server) and check the HTTP status of the final page."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url}: HTTP {response.status}, expected {status} (now at {page.url})"
    return response


def fill_login_form(page, username: str, password: str = PASSWORD, code: str = ""):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Inloggen").click()


def blocking_violations(page) -> list[dict]:
    """axe-core violations of impact serious or critical on the current page."""
    results = _get_axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:5]:
            lines.append(
                f"      at {json.dumps(node.get('target'))}: {node.get('failureSummary', '').strip()}".replace("\n", " ")
            )
            lines.append(f"         {node.get('html', '')[:200]}")
    return "\n".join(lines)


class A11yReport:
    """Collects blocking axe violations over several pages and fails once, listing them all."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}
        self.checked: list[str] = []

    def check(self, page, label: str | None = None) -> None:
        label = label or page.url
        self.checked.append(label)
        violations = blocking_violations(page)
        if violations:
            self.found[label] = violations

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        message = "\n".join(f"{label}:\n{describe(v)}" for label, v in self.found.items())
        assert not self.found, f"serious/critical accessibility violations on {len(self.found)} page(s):\n{message}"


def wrong_code(user) -> str:
    """A six-digit code that no step in the device's tolerance window accepts."""
    device = TOTPDevice.objects.get(user=user)
    valid = {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=d):06d}"
        for d in range(-device.tolerance - 1, device.tolerance + 2)
    }
    return next(code for code in (f"{n:06d}" for n in range(0, 1_000_000, 7919)) if code not in valid)


def assign(user, obj) -> None:
    Assignment.objects.create(user=user, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)


def registry(org, user=None, suffix: str = "") -> dict:
    """An address, a person living there and a company based there, owned by ``org``
    (and assigned to ``user`` when given, so no purpose needs stating)."""
    address = Address.objects.create(
        owner=org, street=f"Kerkstraat{suffix}", house_number=12, house_letter="A", postcode="1234AB", city="Aastad"
    )
    # one BSN per organisation (unique per owner): only the first registry of an organisation has it
    person = Person.objects.create(owner=org, first_names="Jan", surname=f"Jansen{suffix}",
                                   bsn="" if suffix else "111222333", address=address)
    company = Company.objects.create(
        owner=org, name=f"Autohandel De Brug{suffix}", legal_form=Company.LegalForm.BV, kvk_number="12345678", address=address
    )
    if user is not None:
        for obj in (address, person, company):
            assign(user, obj)
    return {"adressen": address, "personen": person, "bedrijven": company}
