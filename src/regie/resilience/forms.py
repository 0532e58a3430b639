"""Forms of the resilience pages (Dutch labels and errors); the services validate again."""

from __future__ import annotations

from django import forms

from regie.organisations.models import Organisation

from . import onboarding


def _no_goals():
    from regie.plans.models import Goal

    return Goal.objects.none()

from .models import (
    BudgetLine,
    Department,
    IntegrityIncident,
    Project,
    ProjectEvaluation,
    ProjectTrack,
    SafeguardRule,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DepartmentForm(forms.Form):
    name = forms.CharField(label="Naam van de afdeling", max_length=120)


class ContactForm(forms.Form):
    department = forms.ModelChoiceField(label="Afdeling", queryset=Department.objects.none())
    name = forms.CharField(label="Naam", max_length=150)
    function = forms.CharField(label="Functie", max_length=150, required=False)
    email = forms.EmailField(label="E-mailadres", required=False)
    phone = forms.CharField(label="Telefoon", max_length=30, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Department.objects.none()


class SessionForm(forms.Form):
    topic = forms.CharField(label="Onderwerp", max_length=200)
    audience = forms.CharField(label="Doelgroep", max_length=200)
    held_on = forms.DateField(label="Datum", widget=DATE)
    organiser = forms.CharField(label="Organisator", max_length=200)
    partners = forms.ModelMultipleChoiceField(label="Partners", queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, departments=(), partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners if partners is not None else Organisation.objects.none()
        self.departments = list(departments)
        for department in self.departments:
            self.fields[f"afdeling_{department.pk}"] = forms.IntegerField(
                label=f"Deelnemers {department.name}", min_value=0, required=False)

    def attendance(self) -> dict:
        return {d.pk: self.cleaned_data[f"afdeling_{d.pk}"] for d in self.departments if self.cleaned_data.get(f"afdeling_{d.pk}")}


class OnboardingForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in onboarding.QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=question.text, choices=question.options, widget=forms.RadioSelect,
                error_messages={"required": "Kies een antwoord."})


class CapacityForm(forms.Form):
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    team = forms.CharField(label="Team", max_length=150)
    function = forms.CharField(label="Functie", max_length=150)
    fte = forms.DecimalField(label="Fte voor ondermijning", min_value=0, max_digits=5, decimal_places=2)
    vacancy_fte = forms.DecimalField(label="Vacature (fte)", min_value=0, max_digits=5, decimal_places=2, required=False)
    backlog = forms.IntegerField(label="Achterstand (aantal zaken)", min_value=0, required=False)
    note = forms.CharField(label="Toelichting", max_length=300, required=False)


class ReferenceForm(forms.Form):
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    fte = forms.DecimalField(label="Referentie (fte)", min_value=0, max_digits=5, decimal_places=2)
    source = forms.CharField(label="Bron", max_length=300)


class BudgetLineForm(forms.Form):
    title = forms.CharField(label="Omschrijving", max_length=200)
    nature = forms.ChoiceField(label="Aard", choices=BudgetLine.Nature.choices)
    first_year = forms.IntegerField(label="Van jaar", min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label="Tot en met jaar", min_value=2000, max_value=2100)
    amount_per_year = forms.DecimalField(label="Bedrag per jaar (€)", min_value=0, max_digits=12, decimal_places=2)
    goal = forms.ModelChoiceField(label="Doel uit het plan", queryset=None, required=False,
                                  empty_label="(geen doel)")

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals if goals is not None else _no_goals()
        self.fields["goal"].label_from_instance = lambda g: f"{g.theme.pillar.plan.title}: {g.title}"


class SpendingForm(forms.Form):
    line = forms.ModelChoiceField(label="Begrotingspost", queryset=BudgetLine.objects.none())
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100)
    amount = forms.DecimalField(label="Besteed (€)", min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines if lines is not None else BudgetLine.objects.none()


class SafeguardForm(forms.Form):
    process = forms.SlugField(label="Proces (code)", max_length=60, help_text="Bijvoorbeeld 13b-besluit.")
    process_name = forms.CharField(label="Proces", max_length=200)
    kind = forms.ChoiceField(label="Soort waarborg", choices=SafeguardRule.Kind.choices)
    description = forms.CharField(label="Functiescheiding en werkwijze", max_length=2000, widget=forms.Textarea)
    enforced = forms.BooleanField(label="Afdwingen in Regie", required=False)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=IntegrityIncident.Kind.choices)
    occurred_on = forms.DateField(label="Datum", widget=DATE)
    description = forms.CharField(label="Omschrijving", max_length=4000, widget=forms.Textarea)
    measures_taken = forms.CharField(label="Genomen maatregelen", max_length=4000, widget=forms.Textarea, required=False)


class ProjectForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200)
    kind = forms.ChoiceField(label="Soort", choices=Project.Kind.choices)
    problem = forms.CharField(label="Probleemstelling", max_length=4000, widget=forms.Textarea)
    started_on = forms.DateField(label="Gestart op", widget=DATE)
    information_agreement = forms.CharField(label="Afspraken over opslaan en delen van informatie", max_length=4000,
                                            widget=forms.Textarea, required=False)
    goal = forms.ModelChoiceField(label="Doel uit het plan", queryset=None, required=False,
                                  empty_label="(geen doel)")

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals if goals is not None else _no_goals()
        self.fields["goal"].label_from_instance = lambda g: f"{g.theme.pillar.plan.title}: {g.title}"


class TrackForm(forms.Form):
    track = forms.ChoiceField(label="Spoor", choices=ProjectTrack.Track.choices)
    goals = forms.CharField(label="Doelen", max_length=2000, widget=forms.Textarea)


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Partner", queryset=Organisation.objects.none())
    role = forms.CharField(label="Rol", max_length=300)

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners if partners is not None else Organisation.objects.none()


class EvaluationForm(forms.Form):
    on = forms.DateField(label="Datum", widget=DATE)
    summary = forms.CharField(label="Bevindingen", max_length=4000, widget=forms.Textarea)
    decision = forms.ChoiceField(label="Besluit", choices=ProjectEvaluation.Decision.choices)
