from django.urls import path

from . import flag_views, views

app_name = "partners"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("nieuw/", views.profile_edit, name="create"),
    path("informatiedelingsdocument/", views.sharing_document, name="document"),
    path("markeringen/", flag_views.flag_mark, name="flag_mark"),
    path("markeringen/<int:pk>/opheffen/", flag_views.flag_lift, name="flag_lift"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("<int:pk>/bewerken/", views.profile_edit, name="edit"),
    path("<int:pk>/contactpersonen/", views.contact_add, name="contact_add"),
    path("<int:pk>/contactpersonen/<int:contact_pk>/verwijderen/", views.contact_remove, name="contact_remove"),
]
