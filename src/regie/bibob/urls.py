from django.urls import path

from . import table_views, views

app_name = "bibob"

urlpatterns = [
    path("", views.file_list, name="list"),
    path("nieuw/", views.file_create, name="create"),
    path("jaartabellen/", table_views.annual_tables, name="tables"),
    path("catalogus/", table_views.domain_catalogue, name="catalogue"),
    path("<int:pk>/", views.file_detail, name="detail"),
    path("<int:pk>/stap/", views.file_step, name="step"),
    path("<int:pk>/jurist/", views.file_jurist, name="jurist"),
]
