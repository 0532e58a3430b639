"""Base classes every API view uses: access context, need-to-know, purpose gate and audit."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from regie.accounts.access import access_for_user
from regie.audit.gate import is_assigned
from regie.audit.models import AuditEntry, PurposeDeclaration
from regie.audit.services import active_purpose, declare_purpose, record
from regie.organisations.access import current_access, reset_access, set_access

from .permissions import HasCategory, IsVerifiedUser

PURPOSE_HEADER = "Regie-Doel"
purpose_parameter = OpenApiParameter(
    name=PURPOSE_HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Doel van de inzage, verplicht voor een object waaraan u niet bent toegewezen: een doelcode ("
        + ", ".join(PurposeDeclaration.Purpose.values)
        + ") gevolgd door een spatie en een toelichting van minstens 10 tekens."
    ),
)


class AccessContextMixin:
    """Put the API caller's access context in place once DRF has authenticated him."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._access_token = set_access(access_for_user(request.user))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(self, "_access_token", None)
        if token is not None:
            reset_access(token)
            self._access_token = None
        return response


def parse_purpose(raw: str):
    """``"<code> <explanation>"`` from the purpose header: (code, explanation), or a 400 in Dutch."""
    code, _, explanation = raw.strip().partition(" ")
    if code not in PurposeDeclaration.Purpose.values or len(explanation.strip()) < 10:
        raise exceptions.ValidationError(
            {PURPOSE_HEADER: "Geef een geldige doelcode en een toelichting van minstens 10 tekens."}
        )
    return code, explanation.strip()[:500]


# every action that opens one record passes the purpose gate (get_object)
@extend_schema_view(
    retrieve=extend_schema(parameters=[purpose_parameter]),
    update=extend_schema(parameters=[purpose_parameter]),
    partial_update=extend_schema(parameters=[purpose_parameter]),
    destroy=extend_schema(parameters=[purpose_parameter]),
)
class ScopedModelViewSet(AccessContextMixin, viewsets.ModelViewSet):
    """CRUD on an :class:`~regie.organisations.scoping.OwnedModel`, scoped and audited.

    Subclasses set ``model`` and ``serializer_class`` and implement :meth:`perform_save`
    and :meth:`perform_destroy` through the owning app's services.
    """

    model = None
    permission_classes = [IsVerifiedUser, HasCategory]
    search_fields: list[str] = []

    def get_model(self):
        return self.model

    def get_queryset(self):
        return self.model.objects.all().order_by("pk")

    def filter_queryset(self, queryset):
        # PostgreSQL text cannot hold NUL characters: drop them rather than fail with a 500
        query = self.request.query_params.get("zoek", "").replace("\x00", "").strip()[:100]
        if query and self.search_fields:
            from django.db.models import Q

            cond = Q()
            for name in self.search_fields:
                cond |= Q(**{f"{name}__icontains": query})
            queryset = queryset.filter(cond)
        return queryset

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        access = current_access()
        if not is_assigned(access, obj) and active_purpose(access, obj) is None:
            raw = self.request.headers.get(PURPOSE_HEADER, "")
            if not raw:
                raise exceptions.PermissionDenied(
                    f"U bent niet aan dit object toegewezen. Geef een doel op in de header {PURPOSE_HEADER}."
                )
            code, explanation = parse_purpose(raw)
            declare_purpose(access, obj, code, explanation, request=self.request)
        return obj

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        query = request.query_params.get("zoek", "").replace("\x00", "")
        record(
            AuditEntry.Action.SEARCH if query else AuditEntry.Action.LIST,
            model=self.model,
            request=request,
            detail={"q": query[:100], "shown": [row.get("id") for row in results]},
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        record(AuditEntry.Action.VIEW, obj=obj, request=request)
        return Response(self.get_serializer(obj).data)

    # writes go through the owning app's services (validate, write, audit in one transaction)
    save_service = None
    delete_service = None

    def perform_create(self, serializer):
        instance = self.model(**serializer.validated_data)
        serializer.instance = type(self).save_service(current_access(), instance, list(serializer.validated_data), request=self.request)

    def perform_update(self, serializer):
        instance = serializer.instance
        changed = [k for k, v in serializer.validated_data.items() if getattr(instance, k) != v]
        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        serializer.instance = type(self).save_service(current_access(), instance, changed, request=self.request)

    def perform_destroy(self, instance):
        type(self).delete_service(current_access(), instance, request=self.request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["access"] = current_access()
        return context
