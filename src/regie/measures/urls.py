from django.urls import path

from . import catalogue_views, document_views, table_views, views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("nieuw/", views.measure_create, name="create"),
    path("agenda/", table_views.calendar, name="calendar"),
    path("jaartabellen/", table_views.annual_tables, name="tables"),
    path("catalogus/", catalogue_views.catalogue, name="catalogue"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/bewerken/", views.measure_edit, name="edit"),
    path("<int:pk>/stap/", views.measure_step, name="step"),
    path("<int:pk>/goedkeuren/", views.measure_approve, name="approve"),
    path("<int:pk>/documenten/", document_views.document_upload, name="document_upload"),
    path("<int:pk>/documenten/<int:doc_pk>/", document_views.document_download, name="document"),
]
