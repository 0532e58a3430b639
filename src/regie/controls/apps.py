from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "regie.controls"
    label = "controls"
    verbose_name = "Integrale controles"

    def ready(self):
        # 'wat weten we al' on a signal shows the controls that visited the same address
        from regie.intake import enrichment

        from .enrichment import controls_section

        if controls_section not in enrichment.ENRICHERS:
            enrichment.ENRICHERS.append(controls_section)
