from django.core.management.base import BaseCommand

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent : peut être relancé)."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(", ".join(f"{n} {label}" for label, n in counts.items()))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email}")
