from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = "Agenda : événements et inscriptions"

    def ready(self):
        from . import handlers  # noqa: F401 - connects this app to the floors below
