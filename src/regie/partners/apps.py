from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "regie.partners"
    label = "partners"
    verbose_name = "Partners en deelregels"
