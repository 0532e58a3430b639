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


def _themes(organisation_id):
    from django.db.models import Q

    from regie.intake.models import Theme

    return Theme.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id), active=True)


class PictureFilterForm(forms.Form):
    jaar = forms.IntegerField(label="Jaar", required=False, min_value=2000, max_value=2100,
                              error_messages={"invalid": "Vul een jaartal in, bijvoorbeeld 2025."})
    thema = forms.ChoiceField(label="Thema", required=False)
    niveau = forms.ChoiceField(label="Niveau", required=False, choices=[("wijk", "wijken"), ("buurt", "buurten")])
    gebied = forms.CharField(label="Gebied", required=False, max_length=12)

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [("", "alle thema's")] + [(t.code, str(t)) for t in _themes(organisation_id)]


class SnapshotForm(forms.Form):
    label = forms.CharField(label="Omschrijving", max_length=120)
    jaar = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100,
                              error_messages={"invalid": "Vul een jaartal in, bijvoorbeeld 2025."})
    niveau = forms.ChoiceField(label="Niveau", choices=[("wijk", "wijken"), ("buurt", "buurten")])
    thema = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)


class RatingForm(forms.Form):
    theme = forms.ModelChoiceField(label="Thema", queryset=None, error_messages={"invalid_choice": "Kies een bestaand thema."})
    area_code = forms.CharField(label="Gebiedscode (leeg = hele gemeente)", max_length=12, required=False)
    rating = forms.ChoiceField(label="Beoordeling", choices=[])
    source = forms.CharField(label="Bron", max_length=120, help_text="Bijvoorbeeld ‘Zicht op Ondermijning 2023’.")
    reference_date = forms.DateField(label="Peildatum", widget=DATE, error_messages={"invalid": "Vul een geldige datum in."})
    note = forms.CharField(label="Toelichting", max_length=500, required=False)

    def __init__(self, *args, organisation_id=None, **kwargs):
        from .picture_models import ThemeRating

        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = _themes(organisation_id)
        self.fields["rating"].choices = ThemeRating.Level.choices


class CompareForm(forms.Form):
    links = forms.IntegerField(required=False, min_value=1, error_messages={"invalid": "Kies een momentopname."})
    rechts = forms.CharField(required=False, max_length=12)

    def clean_rechts(self):
        value = (self.cleaned_data.get("rechts") or "").strip()
        if value and value != "actueel" and not value.isdigit():
            raise forms.ValidationError("Kies een momentopname of het actuele beeld.")
        return value
