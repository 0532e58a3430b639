from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("doel/", views.purpose, name="purpose"),
    path("audit-log/", views.log, name="log"),
]
