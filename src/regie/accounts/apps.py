from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"
    verbose_name = "Gebruikers en rollen"

    def ready(self):
        from . import signals  # noqa: F401
