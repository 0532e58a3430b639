"""Forms of the plans room; the services validate again and raise Dutch errors."""

from __future__ import annotations

from django import forms

from . import indicators
from .models import Goal, PlanAction, Recommendation, RecommendationUpdate
from .status import GoalStatus, TargetKind

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="Soort plan", choices=[("ivp", "IVP (meerjarig, visie)"), ("uitvoeringsplan", "Uitvoeringsplan")])
    title = forms.CharField(label="Titel", max_length=200)
    parent = forms.TypedChoiceField(label="Onderdeel van IVP", required=False, coerce=int, empty_value=None)
    first_year = forms.IntegerField(label="Van jaar", min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label="Tot en met jaar", min_value=2000, max_value=2100)
    vision = forms.CharField(label="Visie en ambitie", required=False, widget=forms.Textarea, max_length=10_000)
    adopted_on = forms.DateField(label="Vastgesteld op", required=False, widget=DATE)

    def __init__(self, *args, ivps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—")] + [(p.pk, str(p)) for p in ivps]


class PillarForm(forms.Form):
    name = forms.CharField(label="Naam van de pijler", max_length=150)
    position = forms.IntegerField(label="Volgorde", min_value=0, max_value=99, initial=0)


class ThemeForm(forms.Form):
    pillar = forms.TypedChoiceField(label="Pijler", coerce=int)
    name = forms.CharField(label="Naam van het thema", max_length=150)
    priority = forms.IntegerField(label="Prioriteit (1 = hoogst)", min_value=1, max_value=99, initial=1)


class ActionForm(forms.Form):
    theme = forms.TypedChoiceField(label="Thema", coerce=int)
    title = forms.CharField(label="Actie", max_length=300)
    origin = forms.ChoiceField(label="Nieuw of voortgezet", choices=PlanAction.Origin.choices)
    owner = forms.CharField(label="Eigenaar (afdeling of functie)", max_length=150)
    partners = forms.CharField(label="Partners", max_length=300, required=False)
    status = forms.ChoiceField(label="Status", choices=PlanAction.Status.choices)
    deviation_reason = forms.CharField(label="Reden van afwijking", max_length=500, required=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=PlanAction.Status.choices)
    deviation_reason = forms.CharField(label="Reden van afwijking", max_length=500, required=False)


def indicator_choices():
    return [("", "— handmatig (eigen indicator) —")] + [
        (code, f"{d.label} ({d.unit})") for code, d in sorted(indicators.CATALOGUE.items(), key=lambda i: i[1].label)]


class GoalForm(forms.Form):
    theme = forms.TypedChoiceField(label="Thema", coerce=int)
    title = forms.CharField(label="Doel", max_length=300)
    indicator_code = forms.ChoiceField(label="Indicator uit de catalogus", required=False)
    manual_label = forms.CharField(label="Eigen indicator (handmatig)", max_length=200, required=False)
    unit = forms.CharField(label="Eenheid (bij een eigen indicator)", max_length=30, required=False)
    baseline_value = forms.DecimalField(label="Nulmeting", required=False, max_digits=14, decimal_places=2, localize=True)
    baseline_year = forms.IntegerField(label="Jaar nulmeting", required=False, min_value=2000, max_value=2100)
    target_kind = forms.ChoiceField(label="Soort streefwaarde", choices=TargetKind.choices)
    target_value = forms.DecimalField(label="Streefwaarde (ondergrens; bij percentage de verandering in %)",
                                      required=False, max_digits=14, decimal_places=2, localize=True)
    target_upper = forms.DecimalField(label="Bovengrens (bandbreedte)", required=False, max_digits=14, decimal_places=2, localize=True)
    target_text = forms.CharField(label="Kwalitatieve streefwaarde", max_length=500, required=False)
    scope = forms.ChoiceField(label="Streefwaarde geldt", choices=Goal.Scope.choices)
    deadline = forms.DateField(label="Deadline", widget=DATE)
    owner = forms.CharField(label="Eigenaar (afdeling of functie)", max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicator_choices()


class BaselineForm(forms.Form):
    value = forms.DecimalField(label="Nieuwe nulmeting", max_digits=14, decimal_places=2, localize=True)
    year = forms.IntegerField(label="Jaar", required=False, min_value=2000, max_value=2100)
    reason = forms.CharField(label="Reden van de herziening", max_length=500)


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label="Waarde", max_digits=14, decimal_places=2, localize=True)
    source = forms.CharField(label="Bron", max_length=300)
    reference_date = forms.DateField(label="Peildatum", widget=DATE)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "— berekend —"), *GoalStatus.choices])
    reason = forms.CharField(label="Reden", max_length=500, required=False)


class RecommendationForm(forms.Form):
    report_title = forms.CharField(label="Rekenkamerrapport", max_length=200)
    number = forms.IntegerField(label="Nummer", min_value=1, max_value=999)
    text = forms.CharField(label="Aanbeveling", widget=forms.Textarea, max_length=4000)
    addressee = forms.ChoiceField(label="Gericht aan", choices=Recommendation.Addressee.choices)
    decision = forms.ChoiceField(label="Besluit van de raad", choices=Recommendation.Decision.choices)
    decided_on = forms.DateField(label="Besloten op", widget=DATE)
    responsible = forms.CharField(label="Eigenaar (afdeling of functie)", max_length=150)


class UpdateForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=RecommendationUpdate.Kind.choices)
    on = forms.DateField(label="Datum", widget=DATE)
    status = forms.ChoiceField(label="Status", choices=Recommendation.Status.choices)
    text = forms.CharField(label="Toelichting", widget=forms.Textarea, max_length=4000)
