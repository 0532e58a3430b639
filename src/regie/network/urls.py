from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.index, name="index"),
    path("opdrachten/nieuw/", views.assignment_create, name="assignment_create"),
    path("kaart/", views.chart, name="chart"),
    path("kaart/gegevens/", views.graph_data, name="graph"),
    path("kaart/ftm/", views.ftm, name="ftm"),
    path("kaart/opslaan/", views.chart_save, name="chart_save"),
    path("kaarten/<int:pk>/", views.chart_detail, name="chart_detail"),
    path("patronen/uitvoeren/", views.pattern_run, name="pattern_run"),
    path("treffers/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("treffers/<int:pk>/beoordelen/", views.hit_review, name="hit_review"),
]
