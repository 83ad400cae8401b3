from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks every app may use: hooks, permissions decorator, pages, text, files."""

    name = "core"
    verbose_name = "Socle commun"
