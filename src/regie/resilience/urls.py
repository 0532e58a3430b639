from django.urls import path

from . import onboarding_views, views

app_name = "resilience"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("introductie/", onboarding_views.module, name="onboarding"),
    path("introductie/overzicht/", onboarding_views.onboarding_overview, name="onboarding_overview"),
    path("aanspreekpunten/", onboarding_views.contacts, name="contacts"),
    path("bewustwording/", views.sessions, name="sessions"),
    path("capaciteit/", views.capacity, name="capacity"),
    path("begroting/", views.budget, name="budget"),
    path("waarborgen/", views.safeguards, name="safeguards"),
    path("integriteit/", views.incidents, name="incidents"),
    path("integriteit/<int:pk>/", views.incident_detail, name="incident"),
    path("projecten/", views.projects, name="projects"),
    path("projecten/<int:pk>/", views.project_detail, name="project"),
]
