"""One definition of "coordinator in post", one number everywhere: the public home, the
dashboard, /gestion/ and the welcome e-mail."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from coordinators import selectors
from coordinators import services as register_services
from coordinators.models import Scheme
from demo.notifications import seed_welcome_sequence
from notifications import services as notification_services
from notifications.models import Delivery
from tests.factories import (
    CoordinatorProfileFactory,
    PostFactory,
    SchemeFactory,
    TenureFactory,
    UserFactory,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def build_register():
    """Three people in post (one holding two posts), and everything that must not count."""
    holder_of_two = UserFactory()
    TenureFactory(person=holder_of_two)
    TenureFactory(person=holder_of_two)
    TenureFactory()
    TenureFactory(post=PostFactory(schemes=[SchemeFactory(status=Scheme.Status.RENEWING)]))
    # Not in post: left, not arrived yet, an ended scheme, a closed post, an unnamed holder.
    TenureFactory(ended_on=TODAY - datetime.timedelta(days=1))
    TenureFactory(started_on=TODAY + datetime.timedelta(days=10))
    TenureFactory(post=PostFactory(schemes=[SchemeFactory(status=Scheme.Status.ENDED)]))
    TenureFactory(post=PostFactory(closed_on=TODAY))
    TenureFactory(person=None)
    # Approved accounts with no post are not "in post" either.
    CoordinatorProfileFactory.create_batch(3)


def test_the_definition():
    build_register()
    assert selectors.coordinators_in_post_count() == 3
    assert selectors.network_figures()["coordinators"] == 3
    # Two days ago, the person who left yesterday and the holder of the post closed today were
    # in post.
    assert selectors.coordinators_in_post_count(TODAY - datetime.timedelta(days=2)) == 5


def figure(html, pattern):
    match = re.search(pattern, html)
    assert match, pattern
    return int(match.group(1))


def test_every_place_shows_the_same_number(client, staff, mailoutbox):
    build_register()
    expected = selectors.coordinators_in_post_count()

    home = client.get("/").content.decode()
    assert figure(home, r'figure-number">(\d+)</span> coordinateur·rices en poste') == expected

    login(client, staff)
    dashboard = client.get("/tableau-de-bord/").content.decode()
    card = r'figure-number">(\d+)</span> <span class="figure-label">coordinateur·rices en poste'
    assert figure(dashboard, card) == expected
    manage = client.get("/gestion/").content.decode()
    assert figure(manage, r'figure-number mb-0">(\d+)</p><p class="mb-0">coordinateur') == expected

    seed_welcome_sequence()
    newcomer = UserFactory(first_name="Awa")
    # In the afternoon: the welcome (J0) goes at once (recorded before 9:30, Paris, it waits).
    afternoon = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(15)))
    with time_machine.travel(afternoon, tick=False):
        register_services.post_arrival(post=PostFactory(), person=newcomer, started_on=TODAY)
        welcome = Delivery.objects.get(
            recipient=newcomer, kind="onboarding_step", step__delay_days=0
        )
        notification_services.deliveries_send([welcome.pk])
    welcome.refresh_from_db()
    # The newcomer now counts too.
    assert figure(welcome.text, r"(\d+) coordinateur·rices sont en poste") == expected + 1
    assert selectors.coordinators_in_post_count() == expected + 1
    assert timezone.localdate(welcome.sent_at) == TODAY


def test_dashboard_explains_why_filled_posts_and_coordinators_differ(client, staff):
    """Filled posts next to coordinators in post: the page says why (here, a holder on a post
    marked "unknown", and a person holding two posts)."""
    scheme = SchemeFactory(name="CLS de Bondy", commune_codes=["93010"])
    two_posts = UserFactory()
    for _ in range(2):
        TenureFactory(post=PostFactory(schemes=[scheme]), person=two_posts, started_on=TODAY)
    unknown = PostFactory(schemes=[scheme], status_unknown=True)
    TenureFactory(post=unknown, started_on=TODAY)
    login(client, staff)
    response = client.get("/tableau-de-bord/")
    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    posts = response.context["sections"][0].table("registre-postes")
    assert [cell.label for cell in posts.rows[-1].cells[:4]] == ["2", "0", "1", "3"]
    assert figure(page, r"(\d+) coordinateur·rices en poste") == 2
    assert "une personne qui occupe deux postes compte une fois" in page
    assert "de statut inconnu (ce que l’équipe sait aujourd’hui)" in page
