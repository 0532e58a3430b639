from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("indicatoren/", views.indicator_overview, name="indicators"),
    path("risicolocaties/", views.risk_list, name="risk_list"),
    path("risicolocaties/export.csv", views.risk_export, name="risk_export"),
    path("risicolocaties/nieuw/", views.risk_create, name="risk_create"),
    path("risicolocaties/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risicolocaties/<int:pk>/bewerken/", views.risk_edit, name="risk_edit"),
    path("risicolocaties/<int:pk>/status/", views.risk_status, name="risk_status"),
    path("risicolocaties/<int:pk>/maatregelen/", views.risk_link_measure, name="risk_link_measure"),
]
