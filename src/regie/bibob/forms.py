"""Forms of the Bibob pages; every write goes through :mod:`regie.bibob.services`."""

from __future__ import annotations

import re

from django import forms

from .models import BibobFile, BibobStep, Degree, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ADDRESS = re.compile(r"^\s*(\d{4})\s?([A-Za-z]{2})\s+(\d{1,5})\s*$")
Kind = BibobStep.Kind


class FileForm(forms.Form):
    domain = forms.TypedChoiceField(label="Domein", coerce=int)
    kind = forms.ChoiceField(label="Soort dossier", choices=BibobFile.Kind.choices)
    description = forms.CharField(label="Omschrijving", max_length=200,
                                  help_text="Bijvoorbeeld ‘Exploitatievergunning café De Gouden Leeuw, Markt 3’.")
    received_on = forms.DateField(label="Aanvraag ontvangen op", widget=DATE)
    subject = forms.CharField(label="Aanvrager (BSN of KvK-nummer)", required=False, max_length=12)
    address = forms.CharField(label="Adres of pand (postcode en huisnummer)", required=False, max_length=20,
                              help_text="Bijvoorbeeld 1234 AB 12. Alleen adressen uit het register die u mag zien.")

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", "—")] + [
            (d.pk, d.name + ("" if d.in_policy else " (niet in het Bibob-beleid)")) for d in domains]

    def clean_subject(self):
        value = self.cleaned_data["subject"].replace(" ", "").strip()
        if value and (not value.isdigit() or len(value) not in (8, 9)):
            raise forms.ValidationError("Geef een BSN (9 cijfers) of een KvK-nummer (8 cijfers).")
        return value or None

    def clean_address(self):
        value = self.cleaned_data["address"].strip()
        if not value:
            return None
        match = ADDRESS.match(value)
        if not match:
            raise forms.ValidationError("Schrijf het adres als postcode en huisnummer, bijvoorbeeld 1234 AB 12.")
        return f"{match.group(1)}{match.group(2).upper()}", int(match.group(3))


class StepForm(forms.Form):
    """The fields of one step; which ones depends on the step."""

    on = forms.DateField(label="Datum", widget=DATE)
    note = forms.CharField(label="Toelichting (geen inhoud van adviezen)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        if step == Kind.COMPLETENESS:
            self.fields["complete"] = forms.TypedChoiceField(
                label="Is het formulier volledig?", choices=[("", "—"), ("ja", "ja, volledig"), ("nee", "nee, aanvulling gevraagd")],
                coerce=lambda v: v == "ja")
            self.fields["deadline"] = forms.DateField(label="Hersteltermijn tot en met (bij onvolledig)", required=False,
                                                      widget=DATE)
        if step in (Kind.RIEC_ADVICE, Kind.LBB_ADVICE, Kind.ASSESSMENT):
            if step != Kind.RIEC_ADVICE:
                self.fields["degree"] = forms.ChoiceField(label="Mate van gevaar", choices=[("", "—"), *Degree.choices])
            self.fields["finding"] = forms.CharField(
                label="Inhoud van het advies" if step != Kind.ASSESSMENT else "Motivering van de beoordeling",
                max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
                help_text="Vertrouwelijk (art. 28 Wet Bibob): alleen zichtbaar voor de Bibob-coördinator en de jurist van het dossier.")
        if step == Kind.DECISION:
            self.fields["outcome"] = forms.ChoiceField(label="Uitkomst", choices=[("", "—"), *Outcome.choices])
        if step == Kind.FOLLOW_UP:
            self.fields["follow_up"] = forms.ChoiceField(label="Soort nazorg", choices=[("", "—"), *BibobStep.FollowUp.choices])
            self.fields["deadline"] = forms.DateField(label="Gepland op", widget=DATE)
        self.fields["note"] = self.fields.pop("note")

    def step_fields(self) -> dict:
        d = dict(self.cleaned_data)
        out = {"on": d.pop("on"), "note": d.pop("note", "")}
        if "complete" in d:
            out["complete"] = d.pop("complete") if d.get("complete") != "" else None
        for name in ("deadline", "outcome", "follow_up", "degree", "finding"):
            if name in d and d[name] not in (None, ""):
                out[name] = d[name]
        return out


class JuristForm(forms.Form):
    jurist = forms.TypedChoiceField(label="Jurist", coerce=int)

    def __init__(self, *args, jurists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurist"].choices = [("", "—")] + [(u.pk, u.get_full_name() or u.username) for u in jurists]
