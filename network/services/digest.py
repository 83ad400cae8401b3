"""The weekly digest ("Lettre de la semaine"): one e-mail a week per coordinator with what is new
for them (`network.selectors.digest`), planned through the notifications engine.

The scheduler runs `network.tasks.weekly_digest` every hour; from Monday 7:00 (Paris) on, the
first run of the week plans the e-mails, the next ones find them planned: the key holds the
person and the ISO week (`weekly:<id>:<year>-W<week>`), unique in the delivery log, so a person
gets one digest a week even when the task runs twice; two runs at once take the people's rows
in turn (`select_for_update`), so the second finds the e-mails planned. Nobody gets
an e-mail with nothing new in it; people who turned the category off get nothing planned."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.emails import send_email_on_commit
from notifications.models import Category, Delivery
from notifications.preferences import unsubscribe_url

from ..selectors.digest import KEY_PREFIX, digest_readers, weekly_digests

# Planned from Monday at this hour (Paris time).
DIGEST_WEEKDAY, DIGEST_HOUR = 0, 7
# People read and planned per transaction (a fixed number of queries each).
CHUNK = 500


def week_start(now):
    """Monday DIGEST_HOUR (Paris) of `now`'s week: the digest is due from then on."""
    local = timezone.localtime(now)
    monday = local.date() - timedelta(days=local.weekday() - DIGEST_WEEKDAY)
    return timezone.make_aware(datetime.combine(monday, time(DIGEST_HOUR)))


def digest_key(person_id, now):
    year, week, _day = timezone.localtime(now).isocalendar()
    return f"{KEY_PREFIX}{person_id}:{year}-W{week:02d}"


def _urls(digest):
    site = settings.SITE_URL
    return {
        "resources": [(r, site + reverse("resource", args=[r.pk])) for r in digest.resources],
        "news": [(p, site + reverse("news_post", args=[p.pk])) for p in digest.news],
        "events": [(e, site + reverse("event", args=[e.pk])) for e in digest.events],
        "questions": [(q, site + reverse("question", args=[q.pk])) for q in digest.questions],
    }


def digest_plan(digest, *, key):
    """Plan one person's digest e-mail (in the caller's transaction)."""
    person = digest.person
    return send_email_on_commit(
        to=person.email,
        template="weekly_digest",
        category=Category.WEEKLY,
        key=key,
        recipient=person,
        about=f"weekly_digest:{person.pk}",
        context={
            "person": person,
            "digest": digest,
            **_urls(digest),
            "site_url": settings.SITE_URL,
            "news_url": settings.SITE_URL + reverse("news"),
            "preferences_url": settings.SITE_URL + reverse("notification_preferences"),
            "unsubscribe_url": unsubscribe_url(person, Category.WEEKLY),
        },
    )


def weekly_digest_plan(*, now=None) -> int:
    """Plan this week's digest of every coordinator who has something new (none before Monday
    DIGEST_HOUR); returns how many e-mails were planned by this run."""
    now = now or timezone.now()
    if now < week_start(now):
        return 0
    readers = digest_readers()
    planned = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            # Their rows locked: a second run at the same time waits, then finds them planned.
            people = list(readers.filter(pk__gt=last_pk).select_for_update(of=("self",))[:CHUNK])
            if not people:
                return planned
            last_pk = people[-1].pk
            keys = {person.pk: digest_key(person.pk, now) for person in people}
            done = set(Delivery.objects.filter(key__in=keys.values()).values_list("key", flat=True))
            people = [person for person in people if keys[person.pk] not in done]
            for digest in weekly_digests(people, now=now).values():
                if digest.has_news:
                    digest_plan(digest, key=keys[digest.person.pk])
                    planned += 1
