from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "regie.organisations"
    label = "organisations"
    verbose_name = "Organisaties"
