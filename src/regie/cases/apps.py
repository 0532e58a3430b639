from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "regie.cases"
    label = "cases"
    verbose_name = "Casussen"

    def ready(self):
        # 'wat weten we al' on a signal shows the cases about the same subjects and places
        from regie.intake import enrichment

        from .enrichment import cases_section

        if cases_section not in enrichment.ENRICHERS:
            enrichment.ENRICHERS.append(cases_section)
