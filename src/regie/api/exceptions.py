"""Turn Django's own errors into clear 4xx answers instead of 500s."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": "Dit object is nog in gebruik en kan niet worden verwijderd."}, status=status.HTTP_409_CONFLICT
        )
    elif isinstance(exc, IntegrityError):
        return Response({"detail": "De gegevens botsen met een bestaand object."}, status=status.HTTP_409_CONFLICT)
    return drf_handler(exc, context)


def page_not_found(request, exception):
    """A URL no route matches (``/api/v1/personen/1.5/``): JSON under /api/, the normal page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
