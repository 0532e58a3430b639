from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nieuw/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/bewerken/", views.case_edit, name="edit"),
    path("<int:pk>/fase/", views.case_phase, name="phase"),
    path("<int:pk>/delen/", views.case_share, name="share"),
    path("<int:pk>/interventies/nieuw/", views.intervention_create, name="intervention_create"),
    path("<int:pk>/interventies/<int:int_pk>/", views.intervention_edit, name="intervention_edit"),
]
