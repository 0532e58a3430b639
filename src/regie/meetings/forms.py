from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from regie.accounts.roles import Role
from regie.organisations.models import Organisation

from .models import Action, Decision, Escalation, Forum


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def partner_organisations():
    return Organisation.objects.filter(active=True).exclude(kind=Organisation.Kind.GEMEENTE).order_by("name")


class ForumForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label="Partners aan tafel", queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Forum
        fields = ["name", "kind", "frequency_days", "purpose", "trends_slot", "active", "confidentiality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = partner_organisations()
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.members.all())
        self.fields["frequency_days"].min_value = 1
        self.fields["frequency_days"].widget.attrs["min"] = 1


class MeetingForm(forms.Form):
    forum = forms.ModelChoiceField(label="Overlegvorm", queryset=Forum.objects.none())
    starts_at = forms.DateTimeField(label="Datum en tijd", widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"])
    location = forms.CharField(label="Locatie", max_length=200, required=False)

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums if forums is not None else Forum.objects.none()


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="Besluit", choices=Decision.Kind.choices)
    detail = forms.ChoiceField(label="Uitwerking", choices=[("", "—")] + list(Decision.Detail.choices), required=False)
    text = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
    reason = forms.CharField(label="Reden (bij afsluiten of uitstellen)", required=False, max_length=500)
    owner = forms.ModelChoiceField(label="Eigenaar (eigen organisatie)", queryset=get_user_model().objects.none(), required=False)
    owner_organisation = forms.ModelChoiceField(
        label="Uitvoerende of ontvangende organisatie", queryset=Organisation.objects.none(), required=False,
    )
    deadline = forms.DateField(label="Uiterlijk", widget=DateInput(), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    case = forms.ModelChoiceField(label="Casus (bij combineren)", queryset=None, required=False)
    confirmed = forms.BooleanField(
        label="Ik heb overlegd met de organisatie die ‘niet interveniëren zonder overleg’ heeft gemarkeerd", required=False,
    )

    def __init__(self, *args, organisation=None, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(organisation=organisation, is_active=True).exclude(
            role__in=[Role.RAADSLID, Role.MEDEWERKER, Role.PRIVACY, Role.BEHEERDER]
        )
        self.fields["owner"].queryset = users.order_by("last_name", "username")
        self.fields["owner_organisation"].queryset = partner_organisations()
        self.fields["case"].queryset = cases
        self.fields["owner"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"


class ActionResultForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=[(Action.Status.DONE, "gereed"), (Action.Status.CANCELLED, "vervallen")])
    result = forms.CharField(label="Resultaat", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class EscalationAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Besluit van de regio",
        choices=[(s, label) for s, label in Escalation.Status.choices if s != Escalation.Status.SENT],
    )
    text = forms.CharField(label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


def default_start():
    now = timezone.localtime() + timezone.timedelta(days=7)
    return now.replace(hour=10, minute=0, second=0, microsecond=0)
