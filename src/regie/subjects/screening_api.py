"""API of screening (routed in regie.api.urls): ``POST /api/v1/screening/``. A POST, since the
question carries personal data that does not belong in a URL or an access log."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from regie.api.base import (
    PURPOSE_HEADER,
    AccessContextMixin,
    parse_purpose,
    purpose_parameter,
)
from regie.api.permissions import HasCategory, IsVerifiedUser
from regie.organisations.access import current_access

from . import screening
from .models import Person


class ScreeningQuerySerializer(serializers.Serializer):
    soort = serializers.ChoiceField(choices=["persoon", "bedrijf"], default="persoon")
    naam = serializers.CharField(max_length=screening.MAX_TEXT)
    geboortedatum = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Alleen bij een persoon: 1980-03-12 of 12-03-1980."
    )
    adres = serializers.CharField(max_length=screening.MAX_TEXT, required=False, allow_blank=True, help_text="Op één regel.")
    doel = serializers.CharField(
        max_length=500, required=False, allow_blank=True,
        help_text=f"Doel van de zoekvraag; verplicht, hier of in de header {PURPOSE_HEADER}.",
    )
    aantal = serializers.IntegerField(min_value=1, max_value=screening.MAX_LIMIT, default=10)


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="persoon of bedrijf")
    name = serializers.CharField()
    score = serializers.FloatField(help_text="0..1")
    explanation = serializers.CharField(help_text="De redenen in het Nederlands, sterkste eerst.")
    reasons = serializers.ListField(child=serializers.CharField())
    codes = serializers.CharField(help_text="De uitleg van de matcher in vaste codes (docs/matching.md).")


class ScreeningResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = CandidateSerializer(many=True)


class ScreeningView(AccessContextMixin, APIView):
    """Screening: a name (with an optional birth date or address) against the caller's registry."""

    permission_classes = (IsVerifiedUser, HasCategory)

    def get_model(self):
        return Person  # need-to-know SUBJECTS, as the registry

    @extend_schema(
        request=ScreeningQuerySerializer,
        responses=ScreeningResultSerializer,
        parameters=[purpose_parameter],
        summary="Kandidaten voor een naam, op volgorde van score, met uitleg (de zoekvraag wordt met het doel vastgelegd)",
    )
    def post(self, request):
        query = ScreeningQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        purpose = data.get("doel", "").strip()
        raw = request.headers.get(PURPOSE_HEADER, "")
        if not purpose and raw:
            code, explanation = parse_purpose(raw)
            purpose = f"{code}: {explanation}"
        candidates = screening.screen(
            current_access(), kind=data["soort"], name=data["naam"], birth_date=data.get("geboortedatum") or None,
            address_text=data.get("adres", ""), limit=data["aantal"], purpose=purpose, request=request,
        )
        rows = [
            {"id": c.subject.pk, "kind": c.kind, "name": str(c.subject), "score": round(c.score, 4),
             "explanation": c.explanation, "reasons": c.reasons, "codes": c.code}
            for c in candidates
        ]
        return Response(ScreeningResultSerializer({"count": len(rows), "results": rows}).data)
