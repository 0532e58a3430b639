from django.urls import path

from . import field_views, views

app_name = "controls"

urlpatterns = [
    path("", views.control_list, name="list"),
    path("jaarplan/", views.plan_save, name="plan"),
    path("nieuw/", views.control_create, name="create"),
    path("rapportage/", field_views.report, name="report"),
    path("<int:pk>/", views.control_detail, name="detail"),
    path("<int:pk>/bewerken/", views.control_edit, name="edit"),
    path("<int:pk>/status/", views.control_status, name="status"),
    path("<int:pk>/partners/", views.control_partners, name="partners"),
    path("<int:pk>/deelnemers/", views.control_participants, name="participants"),
    path("<int:pk>/adressen/", views.control_addresses, name="addresses"),
    path("<int:pk>/teksten/", views.control_notes, name="notes"),
    path("<int:pk>/delen/", views.control_share, name="share"),
    path("<int:pk>/opvolging/", field_views.finding_followup, name="followup"),
    path("<int:pk>/veldlijst/", field_views.field_list, name="field_list"),
    path("<int:pk>/veldlijst/bezocht/", field_views.field_visited, name="field_visited"),
    path("<int:pk>/veldlijst/bevinding/", field_views.field_finding, name="field_finding"),
]
