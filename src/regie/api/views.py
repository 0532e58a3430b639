"""API views of the security frame: who am I, the organisation registry, the audit log."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.accounts.roles import spec
from regie.audit.models import AuditEntry
from regie.audit.services import record
from regie.audit.views import entries_for
from regie.organisations.access import current_access
from regie.organisations.models import Organisation

from .base import AccessContextMixin


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.IntegerField(allow_null=True)
    organisation_name = serializers.CharField()
    clearance = serializers.IntegerField()


class MeView(AccessContextMixin, APIView):
    @extend_schema(responses=MeSerializer, summary="De ingelogde gebruiker, zijn rol en organisatie")
    def get(self, request):
        access = current_access()
        return Response(
            MeSerializer(
                {
                    "username": access.username,
                    "role": access.role,
                    "organisation": access.organisation_id,
                    "organisation_name": access.organisation_name,
                    "clearance": access.clearance,
                }
            ).data
        )


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "code"]


class OrganisationViewSet(AccessContextMixin, viewsets.ReadOnlyModelViewSet):
    """The registry of tenants and partners (no personal data)."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(active=True).order_by("name")


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["seq", "at", "username", "organisation_name", "role", "action", "object_type", "object_id", "purpose", "detail"]


class ReadsAudit(BasePermission):
    message = "Alleen de privacy officer leest het audit-log."

    def has_permission(self, request, view):
        return spec(request.user.role).reads_audit


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("gebruiker", OpenApiTypes.STR, description="Gebruikersnaam"),
            OpenApiParameter("objecttype", OpenApiTypes.STR, description="Objecttype, bijv. subjects.person"),
            OpenApiParameter("objectid", OpenApiTypes.STR, description="Objectnummer"),
            OpenApiParameter("van", OpenApiTypes.DATE, description="Vanaf deze datum (JJJJ-MM-DD)"),
            OpenApiParameter("tot", OpenApiTypes.DATE, description="Tot en met deze datum (JJJJ-MM-DD)"),
        ]
    )
)
class AuditEntryViewSet(AccessContextMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's organisation's audit log (privacy officer only); every read is logged."""

    serializer_class = AuditEntrySerializer
    lookup_field = "seq"
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        return [*super().get_permissions(), ReadsAudit()]

    def get_queryset(self):
        qs = entries_for(current_access()).order_by("-seq")
        params = self._params()
        if params.get("gebruiker"):
            qs = qs.filter(username__iexact=params["gebruiker"][:150])
        if params.get("objecttype"):
            qs = qs.filter(object_type=params["objecttype"][:100])
        if params.get("objectid"):
            qs = qs.filter(object_id=params["objectid"][:64])
        for name, lookup in (("van", "at__date__gte"), ("tot", "at__date__lte")):
            if params.get(name):
                try:
                    day = date.fromisoformat(params[name][:10])
                except ValueError as exc:
                    raise ValidationError({name: "Gebruik een datum als JJJJ-MM-DD."}) from exc
                qs = qs.filter(**{lookup: day})
        return qs

    def _params(self):
        # PostgreSQL text cannot hold NUL characters: drop them rather than fail with a 500
        return {key.replace("\x00", ""): value.replace("\x00", "") for key, value in self.request.query_params.items()}

    def list(self, request, *args, **kwargs):
        record(AuditEntry.Action.SEARCH, model=AuditEntry, request=request, detail=self._params())
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        record(AuditEntry.Action.VIEW, model=AuditEntry, object_id=kwargs.get("seq"), request=request)
        return super().retrieve(request, *args, **kwargs)
