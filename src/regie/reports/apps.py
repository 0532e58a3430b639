"""Rapportages."""
from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "regie.reports"
    label = "reports"
    verbose_name = "Rapportages"

    def ready(self):
        from .builtin import register_all

        register_all()
