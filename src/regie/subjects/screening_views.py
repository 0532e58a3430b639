"""The screening page: a name (with an optional birth date or address) against the registry.
Thin: the work is in :mod:`.screening`. A POST, since the form carries personal data."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

from regie.organisations.access import current_access

from . import screening
from .views import needs_subjects


class ScreeningForm(forms.Form):
    soort = forms.ChoiceField(
        label="Soort", choices=[("persoon", "Persoon"), ("bedrijf", "Bedrijf")], initial="persoon",
        widget=forms.RadioSelect,
    )
    naam = forms.CharField(label="Naam", max_length=screening.MAX_TEXT, help_text="Bijvoorbeeld: J. vd Berg")
    geboortedatum = forms.CharField(
        label="Geboortedatum (optioneel)", required=False, max_length=20,
        help_text="Alleen bij een persoon, bijvoorbeeld 12-03-1980.",
    )
    adres = forms.CharField(
        label="Adres (optioneel)", required=False, max_length=screening.MAX_TEXT,
        help_text="Op één regel, bijvoorbeeld: Kerkstraat 12-a, 1234 AB Utrecht",
    )
    doel = forms.CharField(
        label="Doel van de zoekvraag", max_length=500,
        help_text="Verplicht: waarom zoekt u deze persoon of dit bedrijf? Het doel wordt vastgelegd.",
    )


@needs_subjects
def screening_page(request):
    form = ScreeningForm(request.POST or None)
    candidates = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                candidates = screening.screen(
                    current_access(), kind=data["soort"], name=data["naam"], birth_date=data["geboortedatum"] or None,
                    address_text=data["adres"], purpose=data["doel"], request=request,
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
        if not form.is_valid():
            status = 400
    return render(request, "subjects/screening.html", {"form": form, "candidates": candidates}, status=status)
