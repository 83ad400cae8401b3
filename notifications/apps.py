from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Envois"

    def ready(self):
        from . import tasks  # noqa: F401 - the send task is found by name in Celery's registry
