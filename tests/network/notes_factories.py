"""Experience notes for the tests: one through the service, or thousands in a few queries."""

from django.utils import timezone

from accounts.models import User
from coordinators.models import CoordinatorProfile, Topic
from demo.seed import refresh_planner_statistics
from network.models.notes import ExperienceNote, NoteComment
from network.search import document_of
from network.services.notes import note_publish, note_save
from territories.models import Commune, Department
from tests.factories import CoordinatorProfileFactory


def write_note(author=None, *, publish=True, topics=(), competencies=(), communes=(), **fields):
    """A note by `author` (a new coordinator by default), saved by the service, published."""
    author = author or CoordinatorProfileFactory().user
    fields.setdefault("title", "Un café santé avec les habitants")
    fields.setdefault("action", "Des rencontres mensuelles au centre social.")
    note = note_save(
        note=ExperienceNote(author=author, **fields),
        topics=topics,
        competencies=competencies,
        communes=communes,
    )
    return note_publish(note=note) if publish else note


def bulk_notes(count, *, department_code="93"):
    """`count` published notes, each by a coordinator of its own, with a topic and a comment:
    bulk inserts."""
    department = Department.objects.get(code=department_code)
    communes = list(Commune.objects.filter(department=department, kind="commune-actuelle")[:30])
    topic = Topic.objects.get_or_create(name="Santé mentale")[0]
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"fiche{start + i}@exemple.fr", first_name=f"P{start + i}", last_name="Masse")
        for i in range(count)
    )
    CoordinatorProfile.objects.bulk_create(
        CoordinatorProfile(
            user=user,
            commune=communes[i % len(communes)],
            status=CoordinatorProfile.Status.APPROVED,
        )
        for i, user in enumerate(users)
    )
    now = timezone.now()
    titles = ["Cafe santé des aidants", "Prévenir l'isolement", "Santé mentale au collège"]
    notes = ExperienceNote.objects.bulk_create(
        ExperienceNote(
            author=user,
            title=titles[i % 3],
            name=document_of(titles[i % 3]),
            action="Une action menée avec les partenaires du quartier.",
            document=document_of(titles[i % 3], "Une action menée avec les partenaires"),
            department=department,
            status=ExperienceNote.Status.PUBLISHED,
            published_at=now,
        )
        for i, user in enumerate(users)
    )
    ExperienceNote.topics.through.objects.bulk_create(
        ExperienceNote.topics.through(experiencenote_id=n.pk, topic_id=topic.pk) for n in notes
    )
    NoteComment.objects.bulk_create(
        NoteComment(note=n, author=users[0], text="Merci !") for n in notes
    )
    refresh_planner_statistics()
    return notes
