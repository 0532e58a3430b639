from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "regie.network"
    label = "network"
    verbose_name = "Netwerkanalyse"
