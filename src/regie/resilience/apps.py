from django.apps import AppConfig


class ResilienceConfig(AppConfig):
    name = "regie.resilience"
    label = "resilience"
    verbose_name = "Weerbare organisatie"
