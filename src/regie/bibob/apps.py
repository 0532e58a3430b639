from django.apps import AppConfig


class BibobConfig(AppConfig):
    name = "regie.bibob"
    label = "bibob"
    verbose_name = "Bibob"

    def ready(self):
        # 'wat weten we al' on a signal shows that Bibob files exist on the same subjects (phase only)
        from regie.intake import enrichment

        from .enrichment import bibob_section

        if bibob_section not in enrichment.ENRICHERS:
            enrichment.ENRICHERS.append(bibob_section)
