"""Forms of the measures pages; every write goes through :mod:`regie.measures.services`."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings

from regie.organisations.confidentiality import Confidentiality

from .models import Category, Measure, MeasureDocument, MeasureKind, MeasureStep

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ADDRESS = re.compile(r"^\s*(\d{4})\s?([A-Za-z]{2})\s+(\d{1,5})\s*$")
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


class MeasureForm(forms.Form):
    kind = forms.TypedChoiceField(label="Soort maatregel", coerce=int)
    domain = forms.TypedChoiceField(label="Domein", coerce=int)
    description = forms.CharField(label="Omschrijving", max_length=200,
                                  help_text="Kort: het pand of de plek en wat er speelt, bijvoorbeeld ‘Hennepkwekerij Kanaalweg 12’.")
    case_reference = forms.CharField(label="Casus (kenmerk)", required=False, max_length=24,
                                     help_text="Bijvoorbeeld CAS-2026-0001. De stappen komen ook op de tijdlijn van de casus.")
    address = forms.CharField(label="Adres of pand (postcode en huisnummer)", required=False, max_length=20,
                              help_text="Bijvoorbeeld 1234 AB 12. Alleen adressen uit het register die u mag zien.")
    subject = forms.CharField(label="Betrokkene (BSN of KvK-nummer)", required=False, max_length=12)
    suitability = forms.CharField(label="Geschiktheid", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Waarom is de maatregel geschikt om het doel te bereiken? Verplicht bij een sluiting.")
    necessity = forms.CharField(label="Noodzakelijkheid", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="Waarom volstaat een lichter middel niet?")
    proportionality = forms.CharField(label="Evenredigheid", required=False, max_length=5000,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      help_text="Staan de gevolgen voor de betrokkenen in verhouding tot het doel?")
    strategy_step = forms.ChoiceField(label="Stap in de handhavingsstrategie", required=False,
                                      choices=[("", "—"), *Measure.Strategy.choices])
    strategy_note = forms.CharField(label="Toelichting handhavingsstrategie", required=False, max_length=1000)
    closure_months = forms.IntegerField(label="Duur sluiting (maanden)", required=False, min_value=1, max_value=60)
    term_days = forms.IntegerField(label="Begunstigingstermijn (dagen)", required=False, min_value=1, max_value=365)
    penalty_amount = forms.DecimalField(label="Bedrag dwangsom (€)", required=False, **MONEY)
    penalty_maximum = forms.DecimalField(label="Maximum dwangsom (€)", required=False, **MONEY)
    confidentiality = forms.TypedChoiceField(label="Vertrouwelijkheid", coerce=int)

    MEASURE_FIELDS = ("kind", "domain", "description", "suitability", "necessity", "proportionality", "strategy_step",
                      "strategy_note", "closure_months", "term_days", "penalty_amount", "penalty_maximum", "confidentiality")

    def __init__(self, *args, kinds=(), domains=(), clearance=8, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + [(k.pk, k.name) for k in kinds]
        self.fields["domain"].choices = [("", "—")] + [(d.pk, d.name) for d in domains]
        self.fields["confidentiality"].choices = [(v, l) for v, l in Confidentiality.choices if v <= clearance]
        self.fields["confidentiality"].initial = Confidentiality.ZAAKVERTROUWELIJK

    def clean_case_reference(self):
        return self.cleaned_data["case_reference"].strip().upper()

    def clean_address(self):
        value = self.cleaned_data["address"].strip()
        if not value:
            return None
        match = ADDRESS.match(value)
        if not match:
            raise forms.ValidationError("Schrijf het adres als postcode en huisnummer, bijvoorbeeld 1234 AB 12.")
        return f"{match.group(1)}{match.group(2).upper()}", int(match.group(3))

    def clean_subject(self):
        value = self.cleaned_data["subject"].replace(" ", "").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) not in (8, 9):
            raise forms.ValidationError("Geef een BSN (9 cijfers) of een KvK-nummer (8 cijfers).")
        return value

    def measure_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.MEASURE_FIELDS}


class StepForm(forms.Form):
    """The fields of one step; which ones depends on the step and the kind of measure."""

    on = forms.DateField(label="Datum", widget=DATE)
    note = forms.CharField(label="Toelichting", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, step: str, kind: MeasureKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if step == MeasureStep.Kind.REPORT:
            self.fields["source"] = forms.ChoiceField(label="Afkomstig van", choices=[("", "—"), *MeasureStep.Source.choices])
        if step == MeasureStep.Kind.DECISION:
            self.fields["urgent"] = forms.BooleanField(
                label="Spoedeisend: besluit zonder voornemen (art. 4:11 Awb); licht toe in de toelichting", required=False)
            if kind.is_closure:
                self.fields["closure_months"] = forms.IntegerField(label="Duur sluiting (maanden)", min_value=1, max_value=60,
                                                                   required=False)
            if kind.category in (Category.PENALTY, Category.ADMIN_ENFORCEMENT, Category.CLOSURE):
                self.fields["term_days"] = forms.IntegerField(label="Begunstigingstermijn (dagen)", required=False,
                                                              min_value=1, max_value=365)
            if kind.is_penalty:
                self.fields["penalty_amount"] = forms.DecimalField(label="Bedrag dwangsom (€)", required=False, **MONEY)
                self.fields["penalty_maximum"] = forms.DecimalField(label="Maximum dwangsom (€)", required=False, **MONEY)
        if step == MeasureStep.Kind.EXECUTION and kind.is_penalty:
            self.fields["forfeited"] = forms.BooleanField(label="Dwangsom verbeurd", required=False)
            self.fields["forfeited_on"] = forms.DateField(label="Verbeurd op", required=False, widget=DATE)
            self.fields["collected_amount"] = forms.DecimalField(label="Ingevorderd bedrag (€)", required=False, **MONEY)
        if step == MeasureStep.Kind.END:
            self.fields["outcome"] = forms.ChoiceField(label="Afloop", choices=[("", "—"), *Measure.Outcome.choices])
        # the note last
        self.fields["note"] = self.fields.pop("note")

    def step_fields(self) -> dict:
        d = dict(self.cleaned_data)
        return {
            "on": d.pop("on"), "note": d.pop("note", ""), "urgent": d.pop("urgent", False),
            "source": d.pop("source", ""), "outcome": d.pop("outcome", ""),
            # a figure left empty keeps what the measure already says
            **{name: value for name, value in d.items() if value is not None},
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Soort document", choices=MeasureDocument.Kind.choices)
    description = forms.CharField(label="Omschrijving", required=False, max_length=200)
    file = forms.FileField(
        label="Bestand", max_length=200,
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=f"Een PDF-document of een foto (JPEG of PNG), maximaal {settings.REGIE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB. "
                  "Gegevens die in een foto verborgen zitten, zoals de plek waar hij is gemaakt, worden verwijderd.",
    )


class KindForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=120)
    category = forms.ChoiceField(label="Telt in de jaartabellen als", choices=Category.choices)
    legal_basis = forms.CharField(label="Grondslag", required=False, max_length=200)
    requires_voornemen = forms.BooleanField(label="Voornemen en zienswijze nodig", required=False, initial=True)
    requires_weighing = forms.BooleanField(label="Afweging verplicht (altijd bij een sluiting)", required=False)
    zienswijze_days = forms.IntegerField(label="Zienswijzetermijn (dagen)", min_value=1, max_value=90, initial=14)


class DomainForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=120)
    instrument_rows = forms.MultipleChoiceField(
        label="Altijd een eigen regel in de instrumententabel bij", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, l) for c, l in Category.choices if c in ("waarschuwing", "sluiting", "dwangsom")],
    )
