from django import forms

from .models import Address, Company, Person
from .validators import normalise_postcode


class _ClearanceMixin:
    """Offer only confidentiality levels up to the user's own clearance."""

    def limit_confidentiality(self, clearance: int):
        field = self.fields["confidentiality"]
        field.choices = [(value, label) for value, label in field.choices if value and int(value) <= clearance]


class AddressForm(_ClearanceMixin, forms.ModelForm):
    class Meta:
        model = Address
        fields = ["street", "house_number", "house_letter", "addition", "postcode", "city", "confidentiality"]

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean_house_letter(self):
        return self.cleaned_data["house_letter"].upper()

    def clean_addition(self):
        return self.cleaned_data["addition"].upper()


class _WithAddress(_ClearanceMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the default manager is scoped: only addresses the user may see can be chosen
        visible = Address.objects.all()
        if self.instance.address_id and not visible.filter(pk=self.instance.address_id).exists():
            # a link the user may not see is kept as it is, not silently emptied
            del self.fields["address"]
            return
        self.fields["address"].queryset = visible
        self.fields["address"].required = False


class PersonForm(_WithAddress):
    class Meta:
        model = Person
        fields = ["first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn", "address", "confidentiality"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CompanyForm(_WithAddress):
    class Meta:
        model = Company
        fields = ["name", "legal_form", "kvk_number", "address", "confidentiality"]


FORMS = {Person: PersonForm, Company: CompanyForm, Address: AddressForm}


class SearchForm(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100)


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort bestand",
        choices=[("kvk", "KvK-uittreksel (CSV)"), ("bag", "BAG-adressen (CSV)"), ("brp", "BRP-personen (CSV)"),
                 ("ftm", "FollowTheMoney (JSON lines)")],
    )
    file = forms.FileField(label="Bestand")
