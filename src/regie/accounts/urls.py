from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("inloggen/tweede-factor/", views.second_factor, name="second_factor"),
    path("uitloggen/", views.logout, name="logout"),
    path(
        "account/wachtwoord/",
        views.cleared(
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
            )
        ),
        name="password_change",
    ),
    path(
        "account/wachtwoord/gewijzigd/",
        views.cleared(auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html")),
        name="password_changed",
    ),
]
