"""The summary `make demo` prints speaks French: "1 groupe de travail", "0 séquence"."""

import pytest

from demo.management.commands.seed_demo import figure

SINGULARS = {
    "groupes de travail": "groupe de travail",
    "séquences d'accompagnement": "séquence d'accompagnement",
    "demandes de validation en attente": "demande de validation en attente",
    "réunions de groupes de travail": "réunion de groupes de travail",
    "rencontres avec les élu·es": "rencontre avec les élu·es",
    "ateliers départementaux": "atelier départemental",
    "inscriptions en liste d'attente": "inscription en liste d'attente",
    "invité·es inscrit·es": "invité·e inscrit·e",
    "invitations d'invité·es": "invitation d'invité·es",
    "avis": "avis",
    "parcours": "parcours",
    "séances rattachées à une offre": "séance rattachée à une offre",
    "ressources liées à des compétences": "ressource liée à des compétences",
    "postes au statut inconnu": "poste au statut inconnu",
    "coordinateur·rices (actuel·les et ancien·nes)": "coordinateur·rice (actuel·le et ancien·ne)",
    "dossiers de passation remplis": "dossier de passation rempli",
    "personnes inscrites à un parcours": "personne inscrite à un parcours",
    "comptes de démonstration": "compte de démonstration",
}


@pytest.mark.parametrize(("plural", "singular"), SINGULARS.items())
def test_the_summary_uses_the_singular_below_two(plural, singular):
    assert figure(1, plural) == f"1 {singular}"
    assert figure(0, plural) == f"0 {singular}"
    assert figure(2, plural) == f"2 {plural}"
    assert figure(174, plural) == f"174 {plural}"


def test_the_command_prints_the_figures_with_french_plurals(monkeypatch, capsys):
    from django.core.management import call_command

    from demo.management.commands import seed_demo

    monkeypatch.setattr(
        seed_demo,
        "seed_demo",
        lambda: {"groupes de travail": 1, "séquences d'accompagnement": 1, "postes": 3},
    )
    call_command("seed_demo")
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line == "1 groupe de travail, 1 séquence d'accompagnement, 3 postes"
