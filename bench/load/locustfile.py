"""A realistic mix of Regie's users for locust (issue 13, point 6); started by ``bench/load/run.py``.

Four kinds of user, in proportion to how a municipality uses Regie on a working day:

* coördinators browse: the start page, the signal list and a signal, the meetings and a meeting
  (agenda), the cases and a case, the annual measures tables (a report); a record they are not
  assigned to asks for a purpose first (the purpose gate), which they state as a person would;
* analysts search the subjects registry (persons, companies, addresses) and filter signals;
* partner systems deliver signals through the API (``POST /api/v1/signalen/``) with a token;
* residents fill in the public form (``/melden/<code>/``): GET the form, POST a report.

The fixture (signed-in sessions of the demo users, the partner's token, the municipality) comes
from the JSON file named by ``REGIE_LOAD_FIXTURE``, written by the runner. Every answer other
than the expected one counts as a failure in locust's statistics.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.intake.run import (
    PUBLIC_CSRF,
    PUBLIC_REFERENCE,
    SURNAMES,
    Payloads,
    public_form_data,
)

FIXTURE = json.loads(Path(os.environ["REGIE_LOAD_FIXTURE"]).read_text())
SEEDS = itertools.count(1)
SESSIONS = {role: itertools.cycle(keys) for role, keys in FIXTURE["sessions"].items()}
#: record pages linked from a list page
LINKED = {prefix: re.compile(rf'href="{prefix}(\d+)/"') for prefix in ("/signalen/", "/overleggen/", "/casussen/", "/plannen/")}
STREET_WORDS = ["straat", "weg", "plein", "laan", "kade"]


def browser_like(client) -> None:
    """Retry a GET once when the server closed the kept-alive connection just as it was reused
    (gunicorn's keep-alive of 5 s against think times of 2-15 s), as browsers do; never a POST."""
    retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods=frozenset({"GET"}),
                  raise_on_status=False)
    client.mount("http://", HTTPAdapter(max_retries=retry))


class SignedIn(HttpUser):
    """A browser user with a session that passed both factors (made by the runner)."""

    abstract = True
    role = ""

    def on_start(self):
        browser_like(self.client)
        self.rng = random.Random(next(SEEDS))
        self.client.cookies.set(FIXTURE["session_cookie"], next(SESSIONS[self.role]))

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, allow_redirects=False, catch_response=True) as response:
            gate = response.headers.get("Location", "") if response.status_code == 302 else ""
            if gate.startswith("/doel/"):
                response.success()  # a record this user is not assigned to: state a purpose first
            elif response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            else:
                return response.text or ""
        return self.state_purpose(gate, path, name or path)

    def state_purpose(self, gate: str, path: str, name: str) -> str:
        """The purpose gate as a person passes it: the form, a purpose and a reason, then the record."""
        form = self.client.get(gate, name="/doel/", allow_redirects=False)
        token = PUBLIC_CSRF.search(form.text or "")
        with self.client.post(gate, name="POST /doel/", allow_redirects=False, catch_response=True, data={
            "csrfmiddlewaretoken": token.group(1) if token else "", "purpose": "overleg",
            "explanation": "voorbereiding van het lokaal overleg",
        }, headers={"Referer": self.host + gate}) as stated:
            if stated.status_code != 302:
                stated.failure(f"{stated.status_code}: purpose not accepted")
                return ""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path} after the purpose")
                return ""
            return response.text or ""

    def open_one(self, listing: str, prefix: str) -> None:
        """Open one of the records linked from a list page, as a person clicking through."""
        found = LINKED[prefix].findall(listing)
        if found:
            self.page(f"{prefix}{self.rng.choice(found)}/", name=f"{prefix}[id]/")


class Coordinator(SignedIn):
    weight = 2
    role = "coordinator"
    wait_time = between(2, 6)  # a person reading pages

    @task(1)
    def start_page(self):  # not "start": that is locust's own method
        self.page("/start/")

    @task(3)
    def signals(self):
        self.open_one(self.page("/signalen/"), "/signalen/")

    @task(2)
    def meetings(self):
        self.open_one(self.page("/overleggen/"), "/overleggen/")

    @task(1)
    def reports(self):
        self.page("/maatregelen/jaartabellen/")

    @task(2)
    def cases(self):
        self.open_one(self.page("/casussen/"), "/casussen/")

    @task(1)
    def plan_dashboard(self):
        self.open_one(self.page("/plannen/"), "/plannen/")

    @task(1)
    def council_report(self):
        self.page("/rapportages/raad/")

    @task(1)
    def area_picture(self):
        self.page("/gebieden/gebiedsbeeld/")

    @task(1)
    def area_map_layer(self):
        self.page("/gebieden/kaart/gebieden.json")


class Analyst(SignedIn):
    weight = 1
    role = "analist"
    wait_time = between(2, 6)

    @task(3)
    def search_persons(self):
        self.page(f"/subjecten/personen/?q={self.rng.choice(SURNAMES).split()[-1]}", name="/subjecten/personen/?q=")

    @task(1)
    def search_companies(self):
        self.page(f"/subjecten/bedrijven/?q={self.rng.choice(['B.V.', 'Holding', 'Transport', 'Bouw'])}",
                  name="/subjecten/bedrijven/?q=")

    @task(1)
    def search_addresses(self):
        self.page(f"/subjecten/adressen/?q={self.rng.choice(STREET_WORDS)}", name="/subjecten/adressen/?q=")

    @task(1)
    def network_overview(self):
        self.page("/netwerk/")

    @task(1)
    def review_queue(self):
        self.page("/subjecten/beoordelen/")

    @task(1)
    def filter_signals(self):
        self.page(f"/signalen/?status={self.rng.choice(['ontvangen', 'beoordeeld', ''])}", name="/signalen/?status=")


class PartnerSystem(HttpUser):
    """A police or partner system delivering signals as they come in."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.payloads = Payloads(next(SEEDS), FIXTURE["gemeente"])
        self.headers = {"Authorization": f"Token {FIXTURE['token']}", "Content-Type": "application/json"}

    @task
    def deliver(self):
        with self.client.post("/api/v1/signalen/", data=self.payloads.api_body(), headers=self.headers,
                              name="POST /api/v1/signalen/", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")


class Resident(HttpUser):
    """A resident reporting a suspicion through the public form: a new visitor each time."""

    weight = 1
    wait_time = between(5, 15)  # reading and typing

    def on_start(self):
        browser_like(self.client)
        self.payloads = Payloads(next(SEEDS), FIXTURE["gemeente"])

    @task
    def report(self):
        path = FIXTURE["public_path"]
        self.client.cookies.clear()
        with self.client.get(path, name=f"GET {path}", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code}")
                return
            text = page.text or ""
        data = public_form_data(self.payloads, text)
        token = PUBLIC_CSRF.search(text)
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.client.post(path, data=data, name=f"POST {path}", headers={"Referer": self.host + path},
                              catch_response=True) as posted:
            if posted.status_code != 200 or not PUBLIC_REFERENCE.search(posted.text or ""):
                posted.failure(f"{posted.status_code}: no reference in the answer")
