from django.core.management.base import BaseCommand

from territories.loader import load_territories


class Command(BaseCommand):
    help = "Charge (ou met à jour) les départements, communes et intercommunalités d'Île-de-France."

    def handle(self, *args, **options):
        counts = load_territories()
        self.stdout.write(", ".join(f"{n} {label}" for label, n in counts.items()))
