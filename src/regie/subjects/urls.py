from django.urls import path

from . import import_views, review_views, screening_views, views

app_name = "subjects"

urlpatterns = [
    path("registers/importeren/", import_views.register_import, name="import"),
    path("registers/export.ftm.jsonl", import_views.ftm_export, name="export_ftm"),
    path("screening/", screening_views.screening_page, name="screening"),
    path("beoordelen/", review_views.queue, name="review"),
    path("beoordelen/<int:pk>/", review_views.candidate_detail, name="review_candidate"),
    path("beoordelen/<int:pk>/oordeel/", review_views.candidate_judge, name="review_judge"),
    path("signaal-kandidaten/", review_views.intake_candidates, name="intake_candidates"),
    path("<slug:kind>/", views.subject_list, name="list"),
    path("<slug:kind>/nieuw/", views.subject_edit, name="create"),
    path("<slug:kind>/export.csv", views.subject_export, name="export"),
    path("<slug:kind>/<int:pk>/", views.subject_detail, name="detail"),
    path("<slug:kind>/<int:pk>/wijzigen/", views.subject_edit, name="edit"),
    path("<slug:kind>/<int:pk>/verwijderen/", views.subject_delete, name="delete"),
]
