from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("regie.web.urls")),
    path("", include("regie.accounts.urls")),
    path("", include("regie.audit.urls")),
    path("subjecten/", include("regie.subjects.urls")),
    path("", include("regie.intake.urls")),
    path("melden/", include("regie.intake.public_urls")),
    path("partners/", include("regie.partners.urls")),
    path("overleggen/", include("regie.meetings.urls")),
    path("casussen/", include("regie.cases.urls")),
    path("maatregelen/", include("regie.measures.urls")),
    path("bibob/", include("regie.bibob.urls")),
    path("controles/", include("regie.controls.urls")),
    path("gebieden/", include("regie.areas.urls")),
    path("netwerk/", include("regie.network.urls")),
    path("plannen/", include("regie.plans.urls")),
    path("rapportages/", include("regie.reports.urls")),
    path("organisatie/", include("regie.resilience.urls")),
    path("api/", include("regie.api.urls")),
]

# an unknown URL under /api/ answers JSON like every other API error
handler404 = "regie.api.exceptions.page_not_found"

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
