from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "regie.measures"
    label = "measures"
    verbose_name = "Maatregelen"

    def ready(self):
        # 'wat weten we al' on a signal shows the measures on the same subjects and places
        from regie.intake import enrichment

        from .enrichment import measures_section

        if measures_section not in enrichment.ENRICHERS:
            enrichment.ENRICHERS.append(measures_section)
