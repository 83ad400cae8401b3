from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau et entraide"

    def ready(self):
        from . import handlers  # noqa: F401 - connects this app to the floors below
