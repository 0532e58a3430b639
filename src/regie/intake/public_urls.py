"""URLs of the public form for residents, mounted at /melden/ (namespace "public"); no sign-in."""

from django.urls import path

from . import public

app_name = "public"

urlpatterns = [
    path("status/", public.status, name="status"),
    path("<str:code>/", public.report, name="report"),
]
