from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Offres, parcours et auto-évaluations"

    def ready(self):
        from . import handlers  # noqa: F401 - connects this app to the floors below
