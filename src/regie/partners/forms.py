from django import forms

from regie.intake.services import catalogue_for
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.models import Organisation

from .models import ContactPerson, PartnerProfile
from .sharing import FIELD_GROUPS


class PartnerProfileForm(forms.ModelForm):
    may_receive = forms.MultipleChoiceField(
        label="Mag ontvangen", required=False, choices=list(FIELD_GROUPS.items()), widget=forms.CheckboxSelectMultiple,
        help_text="Gegevenscategorieën die de partner uit Regie mag ontvangen. Niets aangevinkt: de partner ontvangt niets.",
    )
    theme_codes = forms.MultipleChoiceField(
        label="Thema's", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Thema's waarvoor de partner aan tafel zit. Niets aangevinkt: alle thema's.",
    )

    class Meta:
        model = PartnerProfile
        fields = ["partner", "tasks", "powers", "interests", "legal_basis", "may_bring", "may_receive", "theme_codes",
                  "active", "confidentiality"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("tasks", "powers", "interests", "may_bring")}

    def __init__(self, *args, owner: Organisation, clearance: int, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if not editing:
            self.instance.owner = owner  # the model's clean() checks themes against its catalogue
        # organisations the registry already holds are edited, not added again
        kept = PartnerProfile.objects.filter(owner=owner).values("partner_id")
        partners = Organisation.objects.filter(active=True).exclude(pk=owner.pk).exclude(pk__in=kept)
        if editing:
            self.fields["partner"].disabled = True
            partners = Organisation.objects.filter(pk=self.instance.partner_id)
        self.fields["partner"].queryset = partners.order_by("name")
        self.fields["partner"].empty_label = "Kies een organisatie"
        self.fields["theme_codes"].choices = [(t.code, str(t)) for t in catalogue_for(owner.pk)]
        self.fields["confidentiality"].choices = [(v, l) for v, l in Confidentiality.choices if v <= clearance]
        if not editing:
            self.initial.setdefault("confidentiality", min(Confidentiality.INTERN, clearance))


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]
