from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Ressources"

    def ready(self):
        from . import handlers  # noqa: F401 - connects the library to the agenda's hooks
