from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "regie.web"
    label = "web"
    verbose_name = "Webomgeving"
