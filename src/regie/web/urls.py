from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("account/", views.account, name="account"),
    path("beheer/gebruikers/", views.users, name="users"),
]
