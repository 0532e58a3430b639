"""Partner API for signals: authenticated partner organisations deliver signals to a
municipality in their region; the kernteam reads them. Routed in regie.api.urls."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from regie.accounts.roles import Role
from regie.api.base import ScopedModelViewSet
from regie.organisations.access import current_access
from regie.organisations.models import Organisation, RegionMembership
from regie.subjects.validators import validate_bsn, validate_kvk

from . import services
from .models import Channel, Signal

SUBMITTERS = frozenset({Role.PARTNER, Role.COORDINATOR, Role.ANALIST})


class AddressInSerializer(serializers.Serializer):
    postcode = serializers.CharField(max_length=7)
    huisnummer = serializers.IntegerField(min_value=1, max_value=99999)
    huisletter = serializers.CharField(max_length=1, required=False, allow_blank=True, default="")
    toevoeging = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    straat = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    plaats = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")

    def validate_postcode(self, value):
        from regie.subjects.validators import normalise_postcode

        return normalise_postcode(value)


class MentionInSerializer(serializers.Serializer):
    soort = serializers.ChoiceField(choices=["persoon", "bedrijf", "adres", "voertuig"])
    naam = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    bsn = serializers.CharField(max_length=9, required=False, allow_blank=True, default="", validators=[validate_bsn])
    geboortedatum = serializers.DateField(required=False, allow_null=True, default=None)
    kvk_nummer = serializers.CharField(max_length=8, required=False, allow_blank=True, default="", validators=[validate_kvk])
    adres = AddressInSerializer(required=False, allow_null=True, default=None)
    kenteken = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")


# DRF has no Dutch text for these two
LIST_MESSAGES = {
    "max_length": "Zorg dat deze lijst niet meer dan {max_length} elementen bevat.",
    "min_length": "Zorg dat deze lijst ten minste {min_length} elementen bevat.",
}


class MunicipalityField(serializers.PrimaryKeyRelatedField):
    """The municipality a signal is for. In a bundle (``context["municipalities"]``) each
    municipality is read once instead of once per signal."""

    def to_internal_value(self, data):
        memo = self.context.get("municipalities")
        if memo is None or isinstance(data, bool) or not isinstance(data, int | str):
            return super().to_internal_value(data)
        if data not in memo:
            memo[data] = super().to_internal_value(data)
        return memo[data]


class SignalInSerializer(serializers.Serializer):
    gemeente = MunicipalityField(queryset=Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE, active=True))
    omschrijving = serializers.CharField(max_length=5000)
    datum_waarneming = serializers.DateField(required=False, allow_null=True, default=None)
    adres = AddressInSerializer(required=False, allow_null=True, default=None)
    themas = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list, max_length=10, error_messages=LIST_MESSAGES,
    )
    hardheid = serializers.ChoiceField(choices=Signal.Hardness.choices, default=Signal.Hardness.INDICATION)
    zwaarte = serializers.ChoiceField(choices=Signal.Severity.choices, default=Signal.Severity.MEDIUM)
    subjecten = serializers.ListSerializer(
        child=MentionInSerializer(), required=False, default=list, max_length=25, error_messages=LIST_MESSAGES,
    )

    def validate_datum_waarneming(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("De datum van waarneming ligt in de toekomst.")
        return value


class SignalOutSerializer(serializers.ModelSerializer):
    themas = serializers.SlugRelatedField(source="themes", slug_field="code", many=True, read_only=True)
    # blank until triage suggests something: DRF drops allow_blank from read-only model fields,
    # so without these the schema would promise a value of the enum
    suggested_label = serializers.ChoiceField(Signal.Label.choices, allow_blank=True, read_only=True, label="Voorgesteld label")
    suggested_route = serializers.ChoiceField(Signal.Route.choices, allow_blank=True, read_only=True, label="Voorgestelde route")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        access = self.context.get("access")
        if access is not None and not access.system and instance.owner_id != access.organisation_id:
            # a partner following its own delivered signal gets nothing the municipality added
            data.update(suggested_label="", suggested_route="", themas=[])
        return data

    class Meta:
        model = Signal
        fields = ["id", "reference", "received_at", "channel", "status", "suggested_label", "suggested_route", "hardness", "severity", "themas", "owner"]
        read_only_fields = fields


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kenmerk = serializers.CharField()
    status = serializers.CharField()
    voorgesteld_label = serializers.CharField()


class BundleInSerializer(serializers.Serializer):
    signalen = serializers.ListSerializer(
        child=SignalInSerializer(), allow_empty=False, max_length=services.MAX_BATCH, error_messages=LIST_MESSAGES,
        help_text=f"1 tot en met {services.MAX_BATCH} signalen, elk zoals bij het aanleveren van één signaal.",
    )


class BundleReceiptSerializer(serializers.Serializer):
    aantal = serializers.IntegerField(help_text="Het aantal opgeslagen signalen.")
    signalen = ReceiptSerializer(many=True, help_text="Per signaal een ontvangstbewijs, in de volgorde van de bundel.")


NOT_IN_REGION = "Uw organisatie levert niet aan deze gemeente (geen gedeelde regio)."


def _receipt(signal: Signal) -> dict:
    return {"id": signal.pk, "kenmerk": signal.reference, "status": signal.status, "voorgesteld_label": signal.suggested_label}


#: the service's names for the fields of SignalInSerializer
FIELD_NAMES = {"text": "omschrijving", "themes": "themas", "mentions": "subjecten"}


def _errors(exc: DjangoValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    return {FIELD_NAMES.get(field, field): messages for field, messages in exc.message_dict.items()}


def _address(data):
    if not data:
        return None
    return services.AddressInput(
        postcode=data["postcode"], house_number=data["huisnummer"], house_letter=data.get("huisletter", ""),
        addition=data.get("toevoeging", ""), street=data.get("straat", ""), city=data.get("plaats", ""),
    )


def may_deliver_to(organisation_id: int, municipality: Organisation) -> bool:
    """A partner delivers to municipalities it shares a region with today (dated membership)."""
    if organisation_id == municipality.pk:
        return True
    today = timezone.localdate()
    current = Q(valid_from__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gt=today))
    own_regions = RegionMembership.objects.filter(current, organisation_id=organisation_id).values("region_id")
    return RegionMembership.objects.filter(current, organisation=municipality, region_id__in=own_regions).exists()


@extend_schema_view(
    create=extend_schema(request=SignalInSerializer, responses={201: ReceiptSerializer}, summary="Signaal aanleveren"),
)
class SignalViewSet(ScopedModelViewSet):
    """Signals: partners deliver (POST), the kernteam and the delivering partner read.

    Changes go through triage in the web interface, so PUT, PATCH and DELETE do not exist here.
    """

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = SignalOutSerializer
    model = Signal

    def get_queryset(self):
        return Signal.objects.all().prefetch_related("themes").order_by("-received_at", "pk")

    def get_serializer_class(self):
        return SignalInSerializer if self.action == "create" else SignalOutSerializer

    def _submitter(self, request):
        if request.user.role not in SUBMITTERS:
            self.permission_denied(request, message="Uw rol mag geen signalen aanleveren.")
        return current_access()

    def create(self, request, *args, **kwargs):
        access = self._submitter(request)
        serializer = SignalInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        municipality = d["gemeente"]
        if not may_deliver_to(access.organisation_id, municipality):
            raise serializers.ValidationError({"gemeente": NOT_IN_REGION})
        try:
            registered = services.register(municipality, _signal_input(d, access), actor=access, request=request)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_errors(exc)) from exc
        return Response(ReceiptSerializer(_receipt(registered.signal)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BundleInSerializer,
        responses={201: BundleReceiptSerializer},
        summary="Bundel signalen aanleveren",
        description=(
            f"Levert 1 tot en met {services.MAX_BATCH} signalen in één verzoek aan, elk zoals bij POST /api/v1/signalen/ "
            "(ook aan verschillende gemeenten in uw regio). Alles of niets: is één signaal ongeldig, dan wordt niets "
            "opgeslagen en geeft het antwoord 400 met onder `signalen` de meldingen per volgnummer (vanaf 0)."
        ),
    )
    @action(detail=False, methods=["post"], url_path="bundel", parser_classes=[JSONParser])
    def bundel(self, request):
        access = self._submitter(request)
        context = {"municipalities": {}}  # each municipality is read once per bundle
        bundle = BundleInSerializer(data=request.data, context=context)
        errors: dict[int, dict] = {}
        if bundle.is_valid():
            validated = list(enumerate(bundle.validated_data["signalen"]))
        else:
            per_item = bundle.errors.get("signalen")
            if not per_item or not all(isinstance(index, int) for index in per_item):
                raise serializers.ValidationError(bundle.errors)  # no list, an empty one or too many
            errors = dict(per_item)  # DRF: {index: errors} for the invalid signals
            validated = []
            for index, item in enumerate(request.data["signalen"]):
                if index not in errors:  # valid in the bundle, so valid alone: validate it for its data
                    one = SignalInSerializer(data=item, context=context)
                    one.is_valid(raise_exception=True)
                    validated.append((index, one.validated_data))
        deliveries, allowed = [], {}
        for index, d in validated:
            municipality = d["gemeente"]
            if municipality.pk not in allowed:
                allowed[municipality.pk] = may_deliver_to(access.organisation_id, municipality)
            if allowed[municipality.pk]:
                deliveries.append((index, municipality, _signal_input(d, access)))
            else:
                errors[index] = {"gemeente": [NOT_IN_REGION]}
        pairs = [(municipality, data) for _, municipality, data in deliveries]
        if errors:  # report what the service would refuse as well, so one answer names every problem
            for n, exc in services.check_many(pairs, actor=access).items():
                errors[deliveries[n][0]] = _errors(exc)
            raise _bundle_invalid(errors, len(request.data["signalen"]))
        try:
            registered = services.register_many(pairs, actor=access, request=request)
        except services.DeliveryErrors as exc:
            raise _bundle_invalid(
                {deliveries[n][0]: _errors(found) for n, found in exc.errors.items()}, len(pairs)
            ) from exc
        body = {"aantal": len(registered), "signalen": [_receipt(r.signal) for r in registered]}
        return Response(BundleReceiptSerializer(body).data, status=status.HTTP_201_CREATED)


def _signal_input(d: dict, access) -> services.SignalInput:
    """The service's input for one validated signal of the partner API."""
    municipality = d["gemeente"]
    own = municipality.pk == access.organisation_id
    return services.SignalInput(
        channel=Channel.API if own else Channel.PARTNER,
        text=d["omschrijving"], reported_on=d.get("datum_waarneming"), address=_address(d.get("adres")),
        theme_codes=d.get("themas", []), hardness=d["hardheid"], severity=d["zwaarte"],
        source_organisation_id=None if own else access.organisation_id,
        mentions=[
            services.MentionInput(
                kind=m["soort"], name=m.get("naam", ""), bsn=m.get("bsn", ""), birth_date=m.get("geboortedatum"),
                kvk_number=m.get("kvk_nummer", ""), address=_address(m.get("adres")), plate=m.get("kenteken", ""),
            )
            for m in d.get("subjecten", [])
        ],
    )


def _bundle_invalid(errors: dict[int, dict], total: int) -> serializers.ValidationError:
    count = len(errors)
    return serializers.ValidationError({
        "detail": f"{count} van de {total} signalen {'is' if count == 1 else 'zijn'} ongeldig; er is niets opgeslagen.",
        "signalen": {str(index): found for index, found in sorted(errors.items())},
    })
