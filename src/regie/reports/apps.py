from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "regie.reports"
    label = "reports"
    verbose_name = "Rapportages"
