from django.urls import path

from . import picture_views, views

app_name = "areas"

urlpatterns = [
    path("indicatoren/", views.indicator_overview, name="indicators"),
    path("gebiedsbeeld/", picture_views.picture_page, name="picture"),
    path("gebiedsbeeld/momentopnamen/", picture_views.snapshots, name="snapshots"),
    path("gebiedsbeeld/momentopnamen/nieuw/", picture_views.snapshot_create, name="snapshot_create"),
    path("gebiedsbeeld/beoordelingen/nieuw/", picture_views.rating_create, name="rating_create"),
    path("kaart/", picture_views.map_page, name="map"),
    path("kaart/gebieden.json", picture_views.map_areas, name="map_areas"),
    path("kaart/<slug:layer>.json", picture_views.map_points, name="map_points"),
    path("risicolocaties/", views.risk_list, name="risk_list"),
    path("risicolocaties/export.csv", views.risk_export, name="risk_export"),
    path("risicolocaties/nieuw/", views.risk_create, name="risk_create"),
    path("risicolocaties/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risicolocaties/<int:pk>/bewerken/", views.risk_edit, name="risk_edit"),
    path("risicolocaties/<int:pk>/status/", views.risk_status, name="risk_status"),
    path("risicolocaties/<int:pk>/maatregelen/", views.risk_link_measure, name="risk_link_measure"),
]
