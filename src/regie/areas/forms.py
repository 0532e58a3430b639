"""Forms of the risk-location pages (Dutch labels; validation in areas.risk)."""

from __future__ import annotations

from django import forms

from regie.organisations.confidentiality import Confidentiality
from regie.subjects.validators import normalise_postcode

from .models import Buurt
from .risk_models import RiskLocation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RiskLocationForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=RiskLocation.Kind.choices)
    name = forms.CharField(label="Naam", max_length=200)
    branch = forms.CharField(label="Branche", max_length=120, required=False, help_text="Bijvoorbeeld ‘autobranche’.")
    postcode = forms.CharField(label="Postcode adres", max_length=7, required=False)
    house_number = forms.IntegerField(label="Huisnummer", required=False, min_value=1)
    buurt = forms.ModelChoiceField(label="Buurt", queryset=Buurt.objects.none(), required=False)
    description = forms.CharField(label="Toelichting", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality = forms.TypedChoiceField(label="Vertrouwelijkheid", coerce=int, choices=Confidentiality.choices,
                                             initial=Confidentiality.ZAAKVERTROUWELIJK)

    def __init__(self, *args, clearance: int = 8, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].queryset = Buurt.objects.all()  # scoped: the caller's own buurten
        self.fields["confidentiality"].choices = [c for c in Confidentiality.choices if c[0] <= clearance]

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalise_postcode(value) if value else ""

    def clean(self):
        data = super().clean()
        if bool(data.get("postcode")) != bool(data.get("house_number")):
            raise forms.ValidationError("Vul voor een adres zowel postcode als huisnummer in.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nieuwe status", choices=RiskLocation.Status.choices)
    on = forms.DateField(label="Datum", widget=DATE, required=False)
    reason = forms.CharField(label="Toelichting", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MeasureLinkForm(forms.Form):
    reference = forms.CharField(label="Kenmerk maatregel", max_length=24)
