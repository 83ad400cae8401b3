"""What people type (names, scheme names) enters an onboarding e-mail as text, never as markup:
a Markdown link, raw HTML or emphasis in a name stays the characters the person typed, in the
HTML part and in the text part."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from coordinators import services as register_services
from notifications import onboarding, services
from notifications.models import Delivery, Sequence
from tests.factories import PostFactory, SchemeFactory, TenureFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = "Huet — [réinitialisez votre mot de passe ici](https://evil.example/login)"
HTML = 'Roux <a href="https://evil.example/">ici</a><img src=x onerror=alert(1)><script>x</script>'
EMPHASIS = "**Urgent** _Martin_ `code`"


# In the afternoon: the welcome (J0) goes at once (before 9:30, Paris, it would wait).
@time_machine.travel(datetime.datetime(2026, 3, 10, 14, 0, tzinfo=datetime.UTC))
def welcome_with(body, *, newcomer_name="Awa", scheme_name="CLS de Bobigny"):
    Sequence.objects.create(name="Bienvenue", trigger="arrival").steps.create(
        delay_days=0, subject="Bienvenue {prenom}", body=body
    )
    scheme = SchemeFactory(name=scheme_name)
    peer_post = PostFactory(schemes=[scheme])
    for last_name in (LINK, HTML, EMPHASIS):
        TenureFactory(
            person=UserFactory(first_name="Pair", last_name=last_name),
            post=PostFactory(schemes=[scheme]),
            started_on=datetime.date(2018, 1, 1),
        )
    person = UserFactory(first_name=newcomer_name, last_name=LINK)
    register_services.post_arrival(post=peer_post, person=person, started_on=timezone.localdate())
    delivery = Delivery.objects.get(recipient=person, kind="onboarding_step")
    services.deliveries_send([delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    return delivery


def test_peers_names_are_text_in_the_html_and_the_text_parts(mailoutbox):
    delivery = welcome_with(
        "Bonjour {prenom} {nom},\n\nDes pairs près de chez vous : {pairs_proches}.\n\n"
        "Votre dispositif : **{dispositifs}**. [Votre profil]({lien_profil})"
    )
    html = delivery.html
    assert not re.search(r"<a [^>]*evil", html)
    assert "<img" not in html and "<script" not in html and "onerror" in html  # as text
    assert "[réinitialisez votre mot de passe ici](https://evil.example/login)" in html
    assert '&lt;a href="https://evil.example/"&gt;ici&lt;/a&gt;' in html
    assert "**Urgent** _Martin_ `code`" in html and "<strong>Urgent" not in html
    # The staff's own Markdown still renders: emphasis and the profile link.
    assert "<strong>CLS de Bobigny</strong>" in html
    assert 'href="http' in html and "/profil/" in html
    # The text part carries what people typed, character for character.
    assert LINK in delivery.text and HTML in delivery.text and EMPHASIS in delivery.text
    [message] = mailoutbox
    assert message.alternatives[0][0] == html


def test_a_scheme_name_with_markup_is_text():
    delivery = welcome_with(
        "Votre dispositif : {dispositifs}", scheme_name="CLS [payez ici](https://evil.example/)"
    )
    assert not re.search(r"<a [^>]*evil", delivery.html)
    assert "CLS [payez ici](https://evil.example/)" in delivery.html


def test_a_value_placed_in_a_link_address_is_checked_like_any_address():
    html = onboarding.fill_markdown(
        "[Votre page]({nom}) et {prenom}",
        {"nom": "javascript:alert(1)", "prenom": "<b>Léa</b>"},
    )
    assert "javascript" not in html
    assert "&lt;b&gt;Léa&lt;/b&gt;" in html


def test_unknown_and_missing_variables_stay_as_written():
    html = onboarding.fill_markdown("Bonjour {prenom} {inconnu}", {})
    assert html == "<p>Bonjour {prenom} {inconnu}</p>"
