"""Weerbare organisatie."""
from django.apps import AppConfig


class ResilienceConfig(AppConfig):
    name = "regie.resilience"
    label = "resilience"
    verbose_name = "Weerbare organisatie"

    def ready(self):
        from . import reporting

        reporting.register_all()
