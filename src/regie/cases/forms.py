"""Forms of the cases pages; every write goes through :mod:`regie.cases.services`."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from regie.accounts.models import User
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation
from regie.subjects.validators import normalise_postcode

from .models import Case, CaseSubject, Intervention
from .permissions import WRITERS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    summary = forms.CharField(label="Samenvatting", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}))
    target_type = forms.ChoiceField(label="Soort doelwit", choices=Case.TargetType.choices)
    case_type = forms.ChoiceField(label="Soort casus", choices=Case.CaseType.choices)
    themes = forms.MultipleChoiceField(label="Thema's", required=False, widget=forms.CheckboxSelectMultiple)
    next_discussion_on = forms.DateField(label="Volgende bespreking in het overleg", required=False, widget=DATE)
    coordinator = forms.ModelChoiceField(label="Regisseur", required=False, queryset=User.objects.none())
    confidentiality = forms.TypedChoiceField(label="Vertrouwelijkheid", coerce=int)

    def __init__(self, *args, theme_choices=(), organisation_id=None, clearance=8, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices
        self.fields["coordinator"].queryset = User.objects.filter(
            organisation_id=organisation_id, role__in=WRITERS, is_active=True
        ).order_by("first_name", "username")
        self.fields["confidentiality"].choices = [(v, l) for v, l in Confidentiality.choices if v <= clearance]
        self.fields["confidentiality"].initial = Confidentiality.ZAAKVERTROUWELIJK

    def case_fields(self) -> dict:
        d = self.cleaned_data
        return {name: d[name] for name in ("title", "summary", "target_type", "case_type", "next_discussion_on",
                                           "coordinator", "confidentiality")}


class NewCaseForm(CaseForm):
    signal_references = forms.CharField(
        label="Signalen (kenmerken)", required=False, max_length=500,
        help_text="Kenmerken van beoordeelde signalen, gescheiden door komma's, bijvoorbeeld M-7K3F-9QXD.",
    )
    note = forms.CharField(label="Aanleiding", required=False, max_length=300,
                           help_text="Bijvoorbeeld het besluit van het overleg waarin de casus is aangenomen.")

    def clean_signal_references(self):
        raw = self.cleaned_data["signal_references"]
        return [part.strip().upper() for part in re.split(r"[,;\s]+", raw) if part.strip()]


class LinkSignalForm(forms.Form):
    reference = forms.CharField(label="Kenmerk van het signaal", max_length=24)

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class SubjectForm(forms.Form):
    """One identifier: a BSN (9 digits), a KvK number (8 digits), 'postcode huisnummer' or a plate."""

    identifier = forms.CharField(
        label="BSN, KvK-nummer, postcode en huisnummer, of kenteken", max_length=30,
        help_text="Bijvoorbeeld 999990019, 12345678, 1234 AB 12 of 12-ABC-3. Alleen subjecten uit het register die u mag zien.",
    )
    role = forms.ChoiceField(label="Rol", choices=CaseSubject.Role.choices)

    ADDRESS = re.compile(r"^\s*(\d{4}\s?[A-Za-z]{2})\s+(\d{1,5})\s*$")

    def parsed(self) -> tuple[str, object]:
        """('bsn', '999990019'), ('kvk', '12345678'), ('adres', ('1234AB', 12)) or ('kenteken', '12ABC3')."""
        value = self.cleaned_data["identifier"].strip()
        digits = value.replace(" ", "")
        if digits.isdigit() and len(digits) == 9:
            return "bsn", digits
        if digits.isdigit() and len(digits) == 8:
            return "kvk", digits
        match = self.ADDRESS.match(value)
        if match:
            try:
                return "adres", (normalise_postcode(match.group(1)), int(match.group(2)))
            except ValidationError:
                pass
        return "kenteken", value


class PhaseForm(forms.Form):
    what = forms.ChoiceField(choices=[("fase", "fase"), ("heropenen", "heropenen"), ("opschaling", "opschaling")],
                             widget=forms.HiddenInput)
    phase = forms.ChoiceField(label="Nieuwe fase", required=False, choices=[("", "—"), *Case.Phase.choices])
    reason = forms.ChoiceField(label="Reden afsluiten", required=False, choices=[("", "—"), *Case.ClosedReason.choices])
    escalation_level = forms.ChoiceField(label="Niveau", required=False, choices=Case.Escalation.choices)
    note = forms.CharField(label="Toelichting", required=False, max_length=500)


class ShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Delen met", queryset=Organisation.objects.none())
    basis = forms.CharField(label="Grondslag", max_length=300,
                            help_text="Convenant en artikel, bijvoorbeeld Convenant RIEC 2023, art. 5 lid 2.")

    def __init__(self, *args, owner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(active=True).exclude(pk=owner_id)


class InterventionForm(forms.Form):
    """The kernteam's form: everything about an intervention."""

    partner = forms.ModelChoiceField(label="Partner", queryset=Organisation.objects.none(),
                                     error_messages={"invalid_choice": "Onbekende partner."})
    domain = forms.ChoiceField(label="Domein", choices=Intervention.Domain.choices)
    nature = forms.ChoiceField(label="Aard", choices=Intervention.Nature.choices)
    instrument = forms.CharField(label="Instrument", required=False, max_length=120,
                                 help_text=Intervention._meta.get_field("instrument").help_text)
    description = forms.CharField(label="Omschrijving", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.ModelChoiceField(label="Trekker", required=False, queryset=User.objects.none())
    contact = forms.CharField(label="Contactpersoon bij de partner", required=False, max_length=200)
    origin = forms.CharField(label="Afgesproken in", required=False, max_length=200,
                             help_text="Bijvoorbeeld: besluit LOO 12-03-2026.")
    status = forms.ChoiceField(label="Status", choices=Intervention.Status.choices)
    planned_on = forms.DateField(label="Gepland op", required=False, widget=DATE)
    started_on = forms.DateField(label="Gestart op", required=False, widget=DATE)
    done_on = forms.DateField(label="Afgerond op", required=False, widget=DATE)
    result = forms.CharField(label="Resultaat", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(active=True)
        self.fields["responsible"].queryset = User.objects.filter(
            organisation_id=organisation_id, is_active=True
        ).order_by("first_name", "username")


class FeedbackForm(forms.Form):
    """What the executing partner reports back: status, dates and result."""

    status = forms.ChoiceField(label="Status", choices=Intervention.Status.choices)
    started_on = forms.DateField(label="Gestart op", required=False, widget=DATE)
    done_on = forms.DateField(label="Afgerond op", required=False, widget=DATE)
    result = forms.CharField(label="Resultaat", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


def initial_of(item: Intervention, form_class) -> dict:
    return {name: getattr(item, name) for name in form_class.base_fields}
