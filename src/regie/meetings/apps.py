from django.apps import AppConfig
from django.db.models.signals import pre_delete


class MeetingsConfig(AppConfig):
    name = "regie.meetings"
    label = "meetings"
    verbose_name = "Overleggen"

    def ready(self):
        from regie.intake.models import Signal
        from regie.partners.flags import register_flaggable

        from .retention import scrub_signal

        # the police may mark an agenda item "niet interveniëren zonder overleg" (issue 4, point 8)
        register_flaggable("meetings.agendaitem")

        # an agenda snapshot must not outlive the signal it describes (intake retention)
        pre_delete.connect(scrub_signal, sender=Signal, dispatch_uid="meetings-scrub-signal")
        # so an agenda item or escalation does not keep a signal that led to nothing past its term
        from regie.intake.retention import register_copy

        register_copy("meetings.agendaitem")
        register_copy("meetings.escalation")
