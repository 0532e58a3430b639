from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from regie.intake.api import SignalViewSet
from regie.subjects.api import AddressViewSet, CompanyViewSet, PersonViewSet
from regie.subjects.screening_api import ScreeningView

from .views import AuditEntryViewSet, MeView, OrganisationViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisaties", OrganisationViewSet, basename="organisation")
router.register("personen", PersonViewSet, basename="person")
router.register("bedrijven", CompanyViewSet, basename="company")
router.register("adressen", AddressViewSet, basename="address")
router.register("signalen", SignalViewSet, basename="signal")
router.register("audit-log", AuditEntryViewSet, basename="auditentry")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    path("v1/ik/", MeView.as_view(), name="me"),
    path("v1/screening/", ScreeningView.as_view(), name="screening"),
    path("v1/", include(router.urls)),
]
