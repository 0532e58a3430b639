from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("raad/", views.council, name="council"),
    path("raad/pdf/", views.council_pdf, name="council_pdf"),
    path("besloten/", views.besloten, name="besloten"),
    path("besloten/pdf/", views.besloten_pdf, name="besloten_pdf"),
    path("regio/", views.regional, name="regional"),
]
