"""Plannen en doelen."""
from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "regie.plans"
    label = "plans"
    verbose_name = "Plannen en doelen"

    def ready(self):
        # the indicators over the registers Regie holds, and the council report's section
        from . import catalogue, report_section

        catalogue.install()
        report_section.install()
