from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et accès"

    def ready(self):
        from . import checks, handlers  # noqa: F401 - the permission check; hooks below
