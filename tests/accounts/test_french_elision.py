"""French elision where a sentence meets a name: "d’Elena", never "de Elena"; "en tant que
membre de l’équipe PromoSanté", never "en tant que Équipe PromoSanté"."""

import html

import pytest
from django.urls import reverse

from accounts.models import Invitation
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def test_a_staff_invitation_says_member_of_the_team(
    client, staff, promosante, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("manage:invitations"),
            {
                "email": "elena@exemple.fr",
                "first_name": "Elena",
                "last_name": "Roux",
                "role": "staff",
                "organisation": promosante.pk,
            },
        )
    message = mailoutbox[0]
    for body in (message.body, html.unescape(message.alternatives[0][0])):
        assert "en tant que membre de l’équipe PromoSanté" in body
        assert "que Équipe" not in body and "que équipe" not in body
    invitation = Invitation.objects.get()
    client.logout()
    page = text(client.get(reverse("invitation_accept", args=[invitation.token])))
    assert "en tant que <strong>membre de l’équipe PromoSanté</strong>" in page


def test_the_invitations_list_elides_before_a_vowel(client, staff):
    InvitationFactory(email="elena@exemple.fr", role="partner", organisation=OrganisationFactory())
    client.force_login(staff)
    page = text(client.get(reverse("manage:invitations")))
    assert "l’invitation d’elena@exemple.fr" in page
    assert "de elena" not in page


def test_register_titles_and_messages_elide_before_a_vowel(client, staff):
    elena = UserFactory(first_name="Elena", last_name="Roux")
    tenure = TenureFactory(post=PostFactory(schemes=[SchemeFactory()]), person=elena)
    client.force_login(staff)
    for name in ("tenure_departure", "tenure_edit"):
        page = text(client.get(reverse(name, args=[tenure.pk])))
        assert "d’Elena Roux" in page, name
        assert "de Elena" not in page, name
    scheme_page = text(client.get(reverse("scheme", args=[tenure.post.schemes.get().pk])))
    assert "de Elena" not in scheme_page and "d’Elena Roux" in scheme_page


def test_the_staff_timeline_of_a_person_elides(client, staff):
    elena = UserFactory(first_name="Elena", last_name="Roux")
    client.force_login(staff)
    page = text(client.get(reverse("notifications:person", args=[elena.pk])))
    assert "E-mails d’Elena Roux" in page and "E-mails de Elena" not in page
