from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    name = "coordinators"
    verbose_name = "Coordinateurs, dispositifs et territoires"

    def ready(self):
        from . import handlers  # noqa: F401 - connects this app to the floors below
