"""Reads of experience notes: who sees which note (a draft: its author and staff; a published
note: every member), the list searched and filtered, a note's page, the latest for /entraide/.

A note shows its author's name and commune (always public in the network) and what the author
wrote: never the fields of their profile they keep out of the directory."""

from datetime import timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import TEAM
from agenda.models import Event

from ..models.notes import ExperienceNote, NoteComment
from ..search import search_entries, search_words

PUBLISHED = ExperienceNote.Status.PUBLISHED


def sees_drafts(access):
    """Staff see every draft (they follow and help what is being written)."""
    return access.role in TEAM


def can_edit_note(access, note):
    """Its author, and staff, change a note, publish it, attach files."""
    return access.can("notes.write") and (note.author_id == access.user_id or sees_drafts(access))


def can_comment_note(access, note):
    return access.can("notes.write") and note.is_published


def notes_visible(access):
    """The notes `access` may open: published ones, and their own drafts (staff: every one).
    A partner reads those of authors in their territory only: the author's name and commune are
    a coordinator's individual data."""
    notes = access.scope(
        ExperienceNote.objects.all(),
        department_field="author__coordinator_profile__commune__department",
    )
    if sees_drafts(access):
        return notes
    return notes.filter(Q(status=PUBLISHED) | Q(author_id=access.user_id))


def notes_list(access, filters):
    """The notes the reader may see, filtered (`network.forms.notes.NoteFilterForm`) and
    searched with the directory's search (folded text, full-text and trigram indexes on
    PostgreSQL). Without a search, the reader's drafts first, then the latest published."""
    notes = notes_visible(access)
    if filters.get("mine"):
        notes = notes.filter(author_id=access.user_id)
    if competency := filters.get("competency"):
        notes = notes.filter(
            pk__in=ExperienceNote.competencies.through.objects.filter(competency=competency).values(
                "experiencenote_id"
            )
        )
    if topic := filters.get("topic"):
        notes = notes.filter(
            pk__in=ExperienceNote.topics.through.objects.filter(topic=topic).values(
                "experiencenote_id"
            )
        )
    if department := filters.get("department"):
        notes = notes.filter(department=department)
    newest = (F("published_at").desc(nulls_first=True), "-pk")
    if not search_words(filters.get("q", "")):  # nothing to search ("", "!!!")
        return notes.order_by(*newest)
    return search_notes(notes, filters["q"]).order_by("-rank", *newest)


def search_notes(notes, text):
    """`notes` matching every word of `text`, annotated with `rank`: the directory's search
    (`network.search.search_entries`), a word of the title counting as a name does."""
    return search_entries(notes, text, ties=("name", "pk"))


def _place_of(person):
    """The commune a person works in, as the directory always shows it (None: staff)."""
    profile = getattr(person, "coordinator_profile", None)
    return profile.commune if profile is not None else None


def note_cards(notes):
    """A page of notes: author, commune, département, topics, competencies, comment count, in
    a fixed number of queries."""
    comments = (
        NoteComment.objects.filter(note=OuterRef("pk"))
        .order_by()
        .values("note")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        notes.select_related("author__coordinator_profile__commune__department", "department")
        .prefetch_related("topics", "competencies")
        .annotate(comment_count=Coalesce(Subquery(comments), 0))
    )


def with_author_places(notes):
    """`notes` (a page, already read) with `author_place`: the author's commune or None."""
    notes = list(notes)
    for note in notes:
        note.author_place = _place_of(note.author)
    return notes


def note_page(pk, access):
    """The note numbered `pk` if the reader may open it (else None), with what its page shows,
    in a fixed number of queries."""
    note = (
        notes_visible(access)
        .filter(pk=pk)
        .select_related(
            "author__coordinator_profile__commune__department", "department", "site_visit"
        )
        .prefetch_related(
            "topics",
            "competencies",
            "communes",
            "attachments",
            Prefetch(
                "comments",
                queryset=NoteComment.objects.select_related(
                    "author__coordinator_profile__commune__department"
                ),
            ),
        )
        .first()
    )
    if note is None:
        return None
    note.author_place = _place_of(note.author)
    for comment in note.comments.all():
        comment.author_place = _place_of(comment.author)
    return note


def attachment_of(pk, attachment_pk, access):
    """An attachment of a note the reader may open, or None."""
    note = notes_visible(access).filter(pk=pk).first()
    if note is None:
        return None, None
    return note, note.attachments.filter(pk=attachment_pk).first()


def site_visits_to_prepare(note=None):
    """The site visits a note may prepare: those of the last year and to come, not cancelled
    (and the one it already prepares)."""
    since = timezone.now() - timedelta(days=365)
    visits = Q(kind=Event.Kind.SITE_VISIT, starts_at__gte=since) & ~Q(status=Event.Status.CANCELLED)
    if note is not None and note.site_visit_id:
        visits |= Q(pk=note.site_visit_id)
    return Event.objects.filter(visits).order_by("starts_at", "pk")


def notes_latest(access, count=3):
    """For /entraide/: the latest published notes, and the reader's own drafts (each list at
    most `count`), in a fixed number of queries."""
    published = list(
        note_cards(notes_visible(access).filter(status=PUBLISHED)).order_by("-published_at", "-pk")[
            :count
        ]
    )
    drafts = list(
        ExperienceNote.objects.filter(
            author_id=access.user_id, status=ExperienceNote.Status.DRAFT
        ).order_by("-updated_at")[:count]
    )
    return with_author_places(published), drafts


def notes_preparing(event):
    """The published notes that prepare `event` (a site visit)."""
    return ExperienceNote.objects.filter(site_visit=event, status=PUBLISHED).order_by(
        "-published_at", "-pk"
    )
