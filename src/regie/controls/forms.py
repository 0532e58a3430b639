"""Forms of the controls room: they parse the input (dates, numbers, choices); every rule with
a Dutch message lives in :mod:`regie.controls.services`."""

from __future__ import annotations

from django import forms

from regie.organisations.confidentiality import Confidentiality

from .models import Control, ControlNote, Finding, PartnerRequest


class _Form(forms.Form):
    """Each form of the control file has its own id prefix: several sit on one page."""

    AUTO_ID = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.AUTO_ID)
        super().__init__(*args, **kwargs)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_CHOICE = [("", "—")]


class ControlForm(_Form):
    AUTO_ID = "id_%s"
    planned_on = forms.DateField(label="Datum", widget=DATE, error_messages={"required": "Geef de datum van de controle.",
                                                                            "invalid": "Geef een geldige datum."})
    kind = forms.ChoiceField(label="Soort controle", choices=NO_CHOICE + list(Control.Kind.choices),
                             error_messages={"required": "Kies het soort controle."})
    title = forms.CharField(label="Titel", max_length=200, error_messages={"required": "Geef de controle een korte titel."})
    area = forms.CharField(label="Gebied of locatie", max_length=200, required=False)
    goals = forms.CharField(label="Doelen", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Eén doel per regel. Verplicht voordat de controle wordt bevestigd.")
    requesting_forum = forms.ChoiceField(label="Aangevraagd door overleg", required=False,
                                         help_text="Dit overleg krijgt het resultaat op zijn volgende agenda.")
    lead = forms.ChoiceField(label="Leiding ter plaatse", required=False)
    confidentiality = forms.TypedChoiceField(label="Vertrouwelijkheid", coerce=int, choices=Confidentiality.choices,
                                             initial=Confidentiality.ZAAKVERTROUWELIJK)

    def __init__(self, *args, forums=(), leads=(), clearance=8, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_forum"].choices = NO_CHOICE + [(f.pk, f.name) for f in forums]
        self.fields["lead"].choices = NO_CHOICE + [(u.pk, f"{u.display_name} ({u.get_role_display()})") for u in leads]
        self.fields["confidentiality"].choices = [(v, label) for v, label in Confidentiality.choices if v <= clearance]

    def control_fields(self) -> dict:
        return dict(self.cleaned_data)


class PlanForm(_Form):
    AUTO_ID = "jaarplan_%s"
    year = forms.IntegerField(label="Jaar", min_value=2000, max_value=2100,
                              error_messages={"required": "Geef het jaar.", "invalid": "Geef een jaartal."})
    target = forms.IntegerField(label="Streefaantal controles", min_value=1, max_value=366, initial=12,
                                help_text="Eén integrale controle per maand is twaalf per jaar.",
                                error_messages={"required": "Geef het streefaantal.", "invalid": "Geef een getal."})
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(_Form):
    AUTO_ID = "annuleren_%s"
    cancel_kind = forms.ChoiceField(label="Waarom gaat de controle niet door?", choices=NO_CHOICE + list(Control.CancelKind.choices),
                                    required=False)
    cancel_partner = forms.ChoiceField(label="Partner zonder capaciteit", required=False)
    cancel_reason = forms.CharField(label="Reden", max_length=300, required=False,
                                    help_text="Bijvoorbeeld: geen capaciteit Arbeidsinspectie.")

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cancel_partner"].choices = NO_CHOICE + [(o.pk, o.name) for o in partners]


class PartnerForm(_Form):
    AUTO_ID = "partner_%s"
    organisation = forms.ChoiceField(label="Partner")
    people = forms.IntegerField(label="Gevraagde mensen", min_value=1, max_value=200, initial=2)
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = NO_CHOICE + [(o.pk, o.name) for o in partners]


class AnswerForm(_Form):
    AUTO_ID = "antwoord_%s"
    answer = forms.ChoiceField(label="Antwoord", choices=[(PartnerRequest.Answer.PROMISED, "toegezegd"),
                                                          (PartnerRequest.Answer.DECLINED, "afgezegd")])
    people = forms.IntegerField(label="Toegezegde mensen", min_value=0, max_value=200, required=False)


class ParticipantForm(_Form):
    AUTO_ID = "deelnemer_%s"
    organisation = forms.ChoiceField(label="Partner", required=False)
    name = forms.CharField(label="Naam of functie", max_length=120, required=False)
    role = forms.CharField(label="Rol", max_length=120, required=False,
                           help_text="Bijvoorbeeld: leiding en briefing, sterke arm, toezicht arbeidsmarkt.")
    powers = forms.CharField(label="Bevoegdheden", max_length=300, required=False)
    people = forms.IntegerField(label="Aantal mensen", min_value=1, max_value=200, initial=1)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = NO_CHOICE + [(o.pk, o.name) for o in partners]


class NoteForm(_Form):
    AUTO_ID = "tekst_%s"
    kind = forms.ChoiceField(label="Soort", choices=ControlNote.Kind.choices)
    text = forms.CharField(label="Tekst", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    confidentiality = forms.TypedChoiceField(label="Vertrouwelijkheid", coerce=int, choices=Confidentiality.choices,
                                             initial=ControlNote.DEFAULT_LEVEL)

    def __init__(self, *args, clearance=8, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confidentiality"].choices = [(v, label) for v, label in Confidentiality.choices if v <= clearance]


class DrawForm(_Form):
    AUTO_ID = "trekking_%s"
    area = forms.ChoiceField(label="Wijk of buurt", required=False)
    count = forms.IntegerField(label="Aantal adressen", min_value=1, max_value=50, initial=6)
    seed = forms.IntegerField(label="Startwaarde (leeg: nieuw getrokken)", required=False, min_value=0, max_value=2**62)

    def __init__(self, *args, wijken=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = NO_CHOICE[:]
        for wijk in wijken:
            choices.append((f"w{wijk.pk}", f"Wijk {wijk.name}"))
            choices += [(f"b{b.pk}", f"— buurt {b.name}") for b in wijk.buurten.all()]
        self.fields["area"].choices = choices


class FindingForm(_Form):
    AUTO_ID = "bevinding_%s"
    kind = forms.ChoiceField(label="Soort bevinding", choices=NO_CHOICE + list(Finding.Kind.choices), required=False)
    text = forms.CharField(label="Bevinding", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    persons = forms.IntegerField(label="Aantal personen", required=False, min_value=0, max_value=500)
    #: any number here: the services refuse an organisation that does not take part (and a partner
    #: always records for his own organisation)
    organisation = forms.IntegerField(label="Namens", required=False, widget=forms.Select)
    to_signal = forms.BooleanField(label="Ook als nieuw signaal melden", required=False)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in partners]
        self.fields["organisation"].widget.choices = self.fields["organisation"].choices
