"""The demo's experience notes (`data/notes.yaml`): written by varied coordinators in post, some
preparing the demo's site visits (by their host), a few drafts, comments from peers and staff.
Written through the notes' services; a note already there (by its title) is left as it is."""

from dataclasses import field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from agenda.models import Event
from competencies.models import Competency
from coordinators.models import Topic
from coordinators.selectors import tenures_in_post
from network.models.notes import ExperienceNote, NoteComment
from network.services.notes import note_comment, note_publish, note_save
from territories.models import Commune

from . import loaders


@loaders.record
class CommentData:
    by: str  # an account key, or a département code (a coordinator in post there)
    text: str
    days_after: int = 2


@loaders.record
class NoteData:
    title: str
    author: str | None = None  # an account key, or a département code
    site_visit: int | None = None  # rank of the demo's site visit it prepares (its host writes)
    communes: list[str] = field(default_factory=list)
    territory: str = ""
    context: str = ""
    partners: str = ""
    action: str = ""
    results: str = ""
    difficulties: str = ""
    lessons: str = ""
    contact: str = ""
    competencies: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    draft: bool = False
    days_ago: int = 30
    comments: list[CommentData] = field(default_factory=list)


@loaders.record
class NotesData:
    notes: list[NoteData]


TEXTS = ["context", "partners", "action", "results", "difficulties", "lessons", "contact"]


class _People:
    """Who writes and comments: the demo accounts by key, coordinators in post by département
    (each asked in turn, the demo accounts aside), the hosts of the site visits."""

    def __init__(self, today):
        self.accounts = {a.key: a.email for a in loaders.accounts().accounts}
        emails = set(self.accounts.values())
        # Read first: mid-seed, PostgreSQL's statistics still describe empty tables, and the
        # subquery planned as a nested loop ran for minutes.
        in_post = list(tenures_in_post(today).values_list("person_id", flat=True).distinct())
        self.by_department, self.turn = {}, {}
        rows = (
            User.objects.filter(pk__in=in_post)
            .exclude(email__in=emails)
            .values_list("pk", "tenures__post__schemes__department__code")
            .order_by("last_name", "first_name", "pk")
        )
        users = {}
        for pk, code in rows:
            if code and pk not in self.by_department.setdefault(code, []):
                self.by_department[code].append(pk)
            users[pk] = None
        self.users = User.objects.in_bulk(users)
        self.visits = list(
            Event.objects.filter(kind=Event.Kind.SITE_VISIT, host__isnull=False)
            .select_related("host")
            .order_by("starts_at", "pk")
        )

    def named(self, who, where):
        if who in self.accounts:
            return User.objects.get(email=self.accounts[who])
        people = self.by_department.get(who)
        if not people:
            raise loaders.DataError(f"{where} : « {who} » n'est ni un compte ni un département.")
        turn = self.turn.get(who, 0)
        self.turn[who] = turn + 1
        return self.users[people[turn % len(people)]]

    def host_of(self, rank, where):
        if rank >= len(self.visits):
            raise loaders.DataError(
                f"{where} : la démonstration n'a que {len(self.visits)} visites."
            )
        return self.visits[rank]


def seed_notes(*, today=None, data_file="notes.yaml"):
    """Idempotent. Returns the figures `seed_demo` prints. `data_file`: under demo/data/ (the
    dashboards' past years have their own, `dashboards/notes.yaml`)."""
    today = today or date.today()
    data = loaders.read_yaml(data_file, NotesData)
    existing = set(ExperienceNote.objects.values_list("title", flat=True))
    people = _People(today)
    now = timezone.now()
    for index, item in enumerate(data.notes):
        where = f"demo/data/{data_file}: notes[{index}]"
        visit = None
        if item.site_visit is not None:
            visit = people.host_of(item.site_visit, where)
            author = visit.host
        else:
            author = people.named(item.author, where)
        if item.title in existing:
            continue
        communes = list(Commune.objects.filter(code_insee__in=item.communes))
        if len(communes) != len(item.communes):
            raise loaders.DataError(f"{where} : une commune inconnue parmi {item.communes}.")
        note = note_save(
            note=ExperienceNote(
                author=author,
                title=item.title,
                territory=item.territory,
                site_visit=visit,
                **{name: getattr(item, name).strip() for name in TEXTS},
            ),
            competencies=loaders.named(Competency, item.competencies, where),
            topics=loaders.named(Topic, item.topics, where),
            communes=communes,
        )
        if item.draft:
            continue
        published_at = now - timedelta(days=item.days_ago)
        if visit is not None:  # sent ten days before the visit, or written after it
            published_at = min(published_at, visit.starts_at - timedelta(days=10))
        note = note_publish(note=note, at=published_at)
        for comment in item.comments:
            written = note_comment(
                note=note,
                author=people.named(comment.by, where),
                text=comment.text.strip(),
                tell_author=False,  # the demo's history: told long ago
            )
            NoteComment.objects.filter(pk=written.pk).update(
                created_at=min(now, published_at + timedelta(days=comment.days_after))
            )
    notes = ExperienceNote.objects.all()
    return {
        "fiches d’expérience publiées": notes.filter(
            status=ExperienceNote.Status.PUBLISHED
        ).count(),
        "fiches d’expérience en brouillon": notes.filter(
            status=ExperienceNote.Status.DRAFT
        ).count(),
        "commentaires de fiches": NoteComment.objects.count(),
    }
