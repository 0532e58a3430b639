from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "regie.intake"
    label = "intake"
    verbose_name = "Signalen"
