from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("inloggen/tweede-factor/", views.second_factor, name="second_factor"),
    path("uitloggen/", views.logout, name="logout"),
]
