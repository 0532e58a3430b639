from django import forms
from django.core.exceptions import ValidationError

from regie.subjects.validators import normalise_postcode, validate_bsn, validate_kvk

from .attachments import PhotoField
from .models import Channel, HitQuestion, Signal, TriageRule
from .services import AddressInput, MentionInput, ReporterInput, SignalInput, normalise_plate

TEXT_LIMIT = 5000


class _LocationMixin(forms.Form):
    postcode = forms.CharField(label="Postcode", required=False, max_length=7)
    house_number = forms.IntegerField(label="Huisnummer", required=False, min_value=1, max_value=99999)
    addition = forms.CharField(label="Huisletter of toevoeging", required=False, max_length=5)
    street = forms.CharField(label="Straat", required=False, max_length=120)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalise_postcode(value) if value else ""

    def address_input(self):
        data = self.cleaned_data
        if not data.get("postcode") and not data.get("house_number"):
            return None
        if not (data.get("postcode") and data.get("house_number")):
            raise ValidationError("Vul voor een adres zowel de postcode als het huisnummer in.")
        addition = (data.get("addition") or "").strip().upper()
        letter = ""
        if len(addition) == 1 and addition.isalpha():
            letter, addition = addition, ""
        return AddressInput(postcode=data["postcode"], house_number=data["house_number"], house_letter=letter,
                            addition=addition.lstrip("-")[:4], street=data.get("street", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.address_input()
            except ValidationError as exc:
                self.add_error("postcode", exc)
        return cleaned


class SuspicionForm(_LocationMixin):
    """'Meld een vermoeden' for every municipal employee: short on purpose."""

    text = forms.CharField(
        label="Wat heeft u gezien of gehoord?", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Beschrijf wat u opviel, waar en wanneer. Schrijf geen vermoedens op als feiten.",
    )
    reported_on = forms.DateField(label="Wanneer was dat?", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    person_name = forms.CharField(label="Naam van een betrokken persoon (als u die weet)", required=False, max_length=200)
    company_name = forms.CharField(label="Naam van een betrokken bedrijf (als u die weet)", required=False, max_length=200)
    photo = PhotoField()
    field_order = ["text", "reported_on", "postcode", "house_number", "addition", "street", "person_name", "company_name", "photo"]

    def to_input(self, user) -> SignalInput:
        d = self.cleaned_data
        mentions = []
        if d.get("person_name"):
            mentions.append(MentionInput(kind="persoon", name=d["person_name"]))
        if d.get("company_name"):
            mentions.append(MentionInput(kind="bedrijf", name=d["company_name"]))
        return SignalInput(
            channel=Channel.INTERNAL, text=d["text"], reported_on=d.get("reported_on"), address=self.address_input(),
            mentions=mentions, reporter=ReporterInput(name=user.display_name, email=user.email, user_id=user.pk),
        )


class SignalForm(_LocationMixin):
    """Registration by the kernteam of a signal from the counter, e-mail, MMA letter or a partner."""

    channel = forms.ChoiceField(label="Kanaal", choices=Channel.choices)
    received_at = forms.DateTimeField(label="Ontvangen op", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"])
    reported_on = forms.DateField(label="Datum waarneming", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label="Omschrijving", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))
    anonymous = forms.BooleanField(label="Anonieme melder", required=False)
    themes = forms.MultipleChoiceField(label="Thema's", required=False, widget=forms.CheckboxSelectMultiple)
    hardness = forms.ChoiceField(label="Hardheid", choices=Signal.Hardness.choices, initial=Signal.Hardness.INDICATION)
    severity = forms.ChoiceField(label="Zwaarte", choices=Signal.Severity.choices, initial=Signal.Severity.MEDIUM)
    person_name = forms.CharField(label="Betrokken persoon: naam", required=False, max_length=200)
    person_birth_date = forms.DateField(label="Betrokken persoon: geboortedatum", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    person_bsn = forms.CharField(label="Betrokken persoon: BSN", required=False, max_length=9, validators=[validate_bsn])
    company_name = forms.CharField(label="Betrokken bedrijf: naam", required=False, max_length=200)
    company_kvk = forms.CharField(label="Betrokken bedrijf: KvK-nummer", required=False, max_length=8, validators=[validate_kvk])
    plate = forms.CharField(label="Kenteken", required=False, max_length=10)
    reporter_name = forms.CharField(label="Naam melder (beschermd)", required=False, max_length=200)
    reporter_contact = forms.CharField(label="Telefoon of e-mail melder (beschermd)", required=False, max_length=200)

    def __init__(self, *args, theme_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices

    def clean_plate(self):
        value = self.cleaned_data["plate"].strip()
        return normalise_plate(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person_bsn") and not cleaned.get("person_name"):
            self.add_error("person_name", "Vul ook de naam in bij een BSN.")
        return cleaned

    def to_input(self) -> SignalInput:
        d = self.cleaned_data
        mentions = []
        if d.get("person_name"):
            mentions.append(MentionInput(kind="persoon", name=d["person_name"], bsn=d.get("person_bsn", ""), birth_date=d.get("person_birth_date")))
        if d.get("company_name") or d.get("company_kvk"):
            mentions.append(MentionInput(kind="bedrijf", name=d.get("company_name", ""), kvk_number=d.get("company_kvk", "")))
        if d.get("plate"):
            mentions.append(MentionInput(kind="voertuig", plate=d["plate"]))
        reporter = None
        if not d.get("anonymous") and (d.get("reporter_name") or d.get("reporter_contact")):
            contact = d.get("reporter_contact", "")
            reporter = ReporterInput(name=d.get("reporter_name", ""), email=contact if "@" in contact else "", phone="" if "@" in contact else contact)
        return SignalInput(
            channel=d["channel"], text=d["text"], received_at=d.get("received_at"), reported_on=d.get("reported_on"),
            anonymous=d.get("anonymous", False) or d["channel"] == Channel.MMA, address=self.address_input(),
            theme_codes=list(d.get("themes") or []), hardness=d["hardness"], severity=d["severity"], mentions=mentions, reporter=reporter,
        )


class TriageForm(forms.Form):
    label = forms.ChoiceField(
        label="Beoordeling", widget=forms.RadioSelect,
        choices=[(Signal.Label.SUBVERSIVE, "ondermijningsgerelateerd"), (Signal.Label.NOT, "niet ondermijningsgerelateerd")],
    )
    route = forms.ChoiceField(label="Route", choices=Signal.Route.choices)
    reason = forms.CharField(label="Reden (verplicht bij doorzetten of sluiten)", required=False, max_length=300)


class CombineForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AskForm(forms.Form):
    mention = forms.IntegerField(label="Subject", min_value=1)
    partner = forms.IntegerField(label="Partner", min_value=1)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label="Antwoord", choices=HitQuestion.Answer.choices, widget=forms.RadioSelect)


class RuleForm(forms.ModelForm):
    class Meta:
        model = TriageRule
        fields = ["kind", "value", "label", "route", "weight"]


class ThemeForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=120)
    group = forms.CharField(label="Hoofdthema", max_length=120)


class ImportForm(forms.Form):
    """Upload of an MMA file (text or e-mail) or a CSV file of signals; formats in docs/import-formats.md."""

    kind = forms.ChoiceField(
        label="Soort bestand", widget=forms.RadioSelect,
        choices=[("mma", "Meldingen van Meld Misdaad Anoniem (tekst of e-mail: .txt of .eml)"), ("csv", "Signalen in een CSV-bestand (.csv)")],
    )
    file = forms.FileField(
        label="Bestand", help_text="Hoogstens 5 MB en 5.000 signalen, in UTF-8. Er wordt alles of niets ingelezen.",
    )

    def clean_file(self):
        from .importers import MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"Het bestand is groter dan {MAX_BYTES // (1024 * 1024)} MB. Splits het in kleinere bestanden.")
        return upload
