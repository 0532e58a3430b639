from django import forms

from .models import AuditEntry, PurposeDeclaration


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label="Doel", choices=PurposeDeclaration.Purpose.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(
        label="Toelichting",
        min_length=10,
        max_length=500,
        help_text="Waarom heeft u dit dossier nodig? Bijvoorbeeld het nummer van de casus of het overleg.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"min_length": "Geef een toelichting van minstens 10 tekens."},
    )


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="Gebruiker", required=False, max_length=150)
    object_type = forms.ChoiceField(label="Soort object", required=False)
    object_id = forms.CharField(label="Objectnummer", required=False, max_length=64)
    action = forms.ChoiceField(
        label="Handeling", required=False, choices=[("", "Alle handelingen"), *AuditEntry.Action.choices]
    )
    date_from = forms.DateField(label="Vanaf", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Tot en met", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Alle soorten"), *[(t, t) for t in types]]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("De einddatum ligt vóór de begindatum.")
        return cleaned
