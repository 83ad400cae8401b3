"""The staff-editable lists start with the values of the source documents."""

from django.db import migrations

BACKGROUNDS = [
    "Infirmier·e",
    "Psychologue",
    "Santé publique",
    "Santé environnementale",
    "Administration publique",
    "Science politique",
    "Travail social et éducatif",
    "Reconversion professionnelle",
    "Autre",
]
TOPICS = [
    "Santé mentale",
    "Accès aux droits et aux soins",
    "Nutrition et activité physique",
    "Santé environnementale",
    "Santé des jeunes",
    "Santé sexuelle",
    "Addictions",
    "Vieillissement",
    "Périnatalité et petite enfance",
    "Participation des habitants",
    "Diagnostic local de santé",
    "Violences et santé",
]


def create(apps, schema_editor):
    Background = apps.get_model("coordinators", "Background")
    Topic = apps.get_model("coordinators", "Topic")
    for position, name in enumerate(BACKGROUNDS):
        Background.objects.get_or_create(name=name, defaults={"position": position})
    for name in TOPICS:
        Topic.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("coordinators", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
