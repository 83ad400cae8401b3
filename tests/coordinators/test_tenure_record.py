"""`tenure_record`: a tenure of the past (or of today) recorded through the register's rules,
without the side effects of an arrival or a departure today."""

from datetime import date as D

import pytest

from coordinators import services
from coordinators.models import HandoverFile, Scheme, Tenure
from notifications.models import Delivery, SequenceRun
from tests.factories import PostFactory, SchemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def record(post, started_on, ended_on=None, reason="left", person=None):
    return services.tenure_record(
        post=post,
        person=person or UserFactory(),
        started_on=started_on,
        ended_on=ended_on,
        end_reason=reason if ended_on else "",
    )


def test_a_history_is_recorded_without_e_mail_nor_sequence():
    post = PostFactory(opened_on=D(2012, 1, 1))
    record(post, D(2012, 3, 1), D(2016, 6, 30))
    record(post, D(2016, 6, 30))  # an arrival on the day of a departure: no vacancy
    assert Tenure.objects.filter(post=post).count() == 2
    assert not Delivery.objects.exists() and not SequenceRun.objects.exists()
    assert not HandoverFile.objects.exists()


@pytest.mark.parametrize(
    "started_on, ended_on, reason, message",
    [
        (D(2011, 3, 1), D(2013, 1, 1), "left", "ouvert que depuis"),
        (D(2014, 3, 1), D(2013, 1, 1), "left", "précède"),
        (D(2014, 3, 1), D(2015, 1, 1), "", "motif du départ"),
        (D(2014, 3, 1), None, "left", "date de départ"),
        (D(2015, 3, 1), D(2016, 1, 1), "left", "chevauchent"),  # the holder of 2014 is there
    ],
)
def test_what_the_register_refuses_is_refused(started_on, ended_on, reason, message):
    post = PostFactory(opened_on=D(2012, 1, 1))
    record(post, D(2014, 1, 1))
    with pytest.raises(services.RegisterError, match=message):
        services.tenure_record(
            post=post,
            person=UserFactory(),
            started_on=started_on,
            ended_on=ended_on,
            end_reason=reason,
        )
    assert Tenure.objects.filter(post=post).count() == 1


def test_nobody_is_recorded_after_the_post_or_its_scheme_ended():
    closed = PostFactory(opened_on=D(2012, 1, 1), closed_on=D(2019, 1, 1))
    with pytest.raises(services.RegisterError, match="supprimé"):
        record(closed, D(2015, 1, 1))
    ended = SchemeFactory(
        status=Scheme.Status.ENDED, signed_on=D(2011, 1, 1), ends_on=D(2018, 1, 1)
    )
    on_ended = PostFactory(opened_on=D(2012, 1, 1), schemes=[ended])
    with pytest.raises(services.RegisterError, match="terminé"):
        record(on_ended, D(2018, 3, 1), D(2019, 1, 1))
    record(on_ended, D(2012, 3, 1), D(2017, 1, 1))  # history before its end


def test_a_background_is_added_at_its_place_in_the_list():
    from coordinators.models import Background

    item = services.list_item_add(kind="parcours", name="Médiation en santé", position=0)
    assert item.position == 0 and Background.objects.get(pk=item.pk).position == 0
    topic = services.list_item_add(kind="thematiques", name="Santé des femmes", position=3)
    assert topic.name == "Santé des femmes"  # a list without order ignores the position
