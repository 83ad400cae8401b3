from django.core.management.base import BaseCommand, CommandError

from territories import outlines


class Command(BaseCommand):
    help = (
        "Calcule les contours simplifiés des communes et départements pour la carte de "
        "l'annuaire (territories/data/outlines.json), à relancer quand les sources changent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Vérifie seulement que le fichier est à jour (code de sortie 1 sinon).",
        )

    def handle(self, *args, check=False, **options):
        built = outlines.build_from_source()
        if check:
            current = (
                outlines.OUTPUT.read_text(encoding="utf-8") if outlines.OUTPUT.exists() else ""
            )
            if current != outlines.dumps(built):
                raise CommandError(
                    f"{outlines.OUTPUT.name} n'est pas à jour : lancez build_outlines."
                )
            self.stdout.write(f"{outlines.OUTPUT.name} est à jour.")
            return
        outlines.write(built)
        outlines.outlines.cache_clear()
        self.stdout.write(f"{len(built['communes'])} communes écrites dans {outlines.OUTPUT.name}.")
