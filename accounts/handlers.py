"""What accounts plugs into the notifications engine at start-up: the variables every e-mail
of a sequence may use about the person."""

from django.conf import settings
from django.urls import reverse

from notifications.registry import VARIABLES, Variable

VARIABLES.register("prenom", Variable("le prénom de la personne", lambda p: p.first_name))
VARIABLES.register("nom", Variable("son nom", lambda p: p.last_name))
VARIABLES.register(
    "lien_espace",
    Variable("le lien vers « Mon espace »", lambda p: settings.SITE_URL + reverse("home")),
)
