from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "regie.areas"
    label = "areas"
    verbose_name = "Gebieden"
