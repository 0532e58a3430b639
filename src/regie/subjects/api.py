"""API of the subjects registry (routed in regie.api.urls)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from regie.api.base import ScopedModelViewSet
from regie.organisations.confidentiality import Confidentiality

from . import services
from .models import Address, Company, Person
from .permissions import mask_bsn, may_write
from .validators import normalise_postcode


class _OwnedSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.ZAAKVERTROUWELIJK)

    def validate_confidentiality(self, value):
        access = self.context.get("access")
        if access is not None and int(value) > access.clearance:
            raise serializers.ValidationError("Dit niveau ligt boven uw eigen rubricering.")
        return value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # the base manager is unscoped: show a link only to an address the caller may see itself
        if data.get("address") is not None and not Address.objects.filter(pk=data["address"]).exists():
            data["address"] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        if "address" in fields:
            # only addresses the caller may see (the default manager is scoped)
            fields["address"] = serializers.PrimaryKeyRelatedField(
                queryset=Address.objects.all(), allow_null=True, required=False
            )
        return fields


class AddressSerializer(_OwnedSerializer):
    class Meta:
        model = Address
        fields = ["id", "street", "house_number", "house_letter", "addition", "postcode", "city", "buurt", "owner", "confidentiality"]
        read_only_fields = ["buurt"]
        # as in the partner API and the public form; and without it the schema's maximum would be
        # the database's integer range (2^63-1 on SQLite, 2^31-1 on PostgreSQL)
        extra_kwargs = {"house_number": {"min_value": 1, "max_value": 99999}}

    def validate_postcode(self, value):
        return normalise_postcode(value)


class PersonSerializer(_OwnedSerializer):
    class Meta:
        model = Person
        fields = ["id", "first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn", "address", "owner", "confidentiality"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        access = self.context.get("access")
        data["bsn"] = mask_bsn(data.get("bsn") or "", access.role if access else "")
        return data


class CompanySerializer(_OwnedSerializer):
    class Meta:
        model = Company
        fields = ["id", "name", "legal_form", "kvk_number", "address", "owner", "confidentiality"]


search_parameter = OpenApiParameter(
    "zoek", OpenApiTypes.STR, description="Zoekterm: bevat, hoofdletterongevoelig (de eerste 100 tekens tellen)."
)


@extend_schema_view(list=extend_schema(parameters=[search_parameter]))
class _SubjectViewSet(ScopedModelViewSet):
    save_service = staticmethod(services.save)
    delete_service = staticmethod(services.delete)

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not may_write(request.user.role):
            self.permission_denied(request, message="Uw rol mag subjecten niet wijzigen.")


class PersonViewSet(_SubjectViewSet):
    model = Person
    serializer_class = PersonSerializer
    search_fields = ["surname", "first_names"]


class CompanyViewSet(_SubjectViewSet):
    model = Company
    serializer_class = CompanySerializer
    search_fields = ["name", "kvk_number"]


class AddressViewSet(_SubjectViewSet):
    model = Address
    serializer_class = AddressSerializer
    search_fields = ["street", "postcode", "city"]
