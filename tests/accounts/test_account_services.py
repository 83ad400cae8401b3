"""Accounts staff create for someone (`services.user_create`): an arrival on a post."""

import pytest

from accounts import services
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_account_without_a_password_yet():
    user = services.user_create(
        email=" Camille.Noel@Exemple.FR ", first_name=" Camille ", last_name="Noël"
    )
    assert (user.email, user.first_name, user.last_name) == (
        "camille.noel@exemple.fr",
        "Camille",
        "Noël",
    )
    assert not user.has_usable_password() and user.is_active


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": ""}, "Indiquez le prénom, le nom et l'adresse e-mail de la personne."),
        ({"last_name": "  "}, "Indiquez le prénom, le nom et l'adresse e-mail de la personne."),
        ({"first_name": "x" * 151}, "Un prénom ou un nom fait au plus 150 caractères."),
        ({"email": "camille@"}, "n'est pas une adresse e-mail valide"),
        ({"email": "Existe@exemple.fr"}, "Cette personne existe déjà"),
    ],
)
def test_refused_accounts_say_why_and_create_nothing(fields, message):
    UserFactory(email="existe@exemple.fr")
    count = User.objects.count()
    values = {"email": "camille@exemple.fr", "first_name": "Camille", "last_name": "Noël", **fields}
    with pytest.raises(services.AccountError, match=message):
        services.user_create(**values)
    assert User.objects.count() == count
