"""Partner API for signals: authenticated partner organisations deliver signals to a
municipality in their region; the kernteam reads them. Routed in regie.api.urls."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
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


class SignalInSerializer(serializers.Serializer):
    gemeente = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE, active=True))
    omschrijving = serializers.CharField(max_length=5000)
    datum_waarneming = serializers.DateField(required=False, allow_null=True, default=None)
    adres = AddressInSerializer(required=False, allow_null=True, default=None)
    themas = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list, max_length=10)
    hardheid = serializers.ChoiceField(choices=Signal.Hardness.choices, default=Signal.Hardness.INDICATION)
    zwaarte = serializers.ChoiceField(choices=Signal.Severity.choices, default=Signal.Severity.MEDIUM)
    subjecten = MentionInSerializer(many=True, required=False, default=list, max_length=25)

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

    def create(self, request, *args, **kwargs):
        access = current_access()
        if request.user.role not in SUBMITTERS:
            self.permission_denied(request, message="Uw rol mag geen signalen aanleveren.")
        serializer = SignalInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        municipality = d["gemeente"]
        if not may_deliver_to(access.organisation_id, municipality):
            raise serializers.ValidationError({"gemeente": "Uw organisatie levert niet aan deze gemeente (geen gedeelde regio)."})
        data = services.SignalInput(
            channel=Channel.PARTNER if municipality.pk != access.organisation_id else Channel.API,
            text=d["omschrijving"], reported_on=d.get("datum_waarneming"), address=_address(d.get("adres")),
            theme_codes=d.get("themas", []), hardness=d["hardheid"], severity=d["zwaarte"],
            source_organisation_id=access.organisation_id if municipality.pk != access.organisation_id else None,
            mentions=[
                services.MentionInput(
                    kind=m["soort"], name=m.get("naam", ""), bsn=m.get("bsn", ""), birth_date=m.get("geboortedatum"),
                    kvk_number=m.get("kvk_nummer", ""), address=_address(m.get("adres")), plate=m.get("kenteken", ""),
                )
                for m in d.get("subjecten", [])
            ],
        )
        try:
            registered = services.register(municipality, data, actor=access, request=request)
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError(detail) from exc
        signal = registered.signal
        body = {"id": signal.pk, "kenmerk": signal.reference, "status": signal.status, "voorgesteld_label": signal.suggested_label}
        return Response(ReceiptSerializer(body).data, status=status.HTTP_201_CREATED)
