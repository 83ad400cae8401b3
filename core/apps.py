from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks every app may use: hooks, permissions decorator, pages, text, files."""

    name = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from django.db.models import IntegerField

        from core.lookups import IntegerIn

        IntegerField.register_lookup(IntegerIn)
