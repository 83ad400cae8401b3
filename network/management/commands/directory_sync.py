from django.core.management.base import BaseCommand

from network.services import directory_sync


class Command(BaseCommand):
    help = "Met l'annuaire à jour à partir du registre et des profils (sans risque : relançable)."

    def handle(self, *args, **options):
        written = directory_sync()
        self.stdout.write(f"Annuaire à jour : {written} fiche(s) réécrite(s) ou retirée(s).")
