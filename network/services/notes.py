"""Writes of experience notes: a note saved, published or back to draft, a peer's comment (its
author is told by e-mail), an attached file added or removed.

Who may do what is checked by the pages (`network.selectors.notes`); these functions keep the
rules of the notes themselves and refuse with a French message (`NoteError`)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agenda.models import Event
from notifications.emails import send_email_on_commit

from ..models.notes import SECTIONS, ExperienceNote, NoteAttachment, NoteComment
from ..search import document_of

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
TEXT_FIELDS = [name for name, _label in SECTIONS]


class NoteError(Exception):
    """A change the notes refuse; the French message is shown as it is."""


def _document(note, *, competencies, topics, communes):
    """The folded text a note is found by: what its author wrote and tagged, and who wrote it
    (the name and commune the note shows)."""
    author = note.author
    profile = getattr(author, "coordinator_profile", None)
    commune = profile.commune.name if profile is not None and profile.commune_id else ""
    return document_of(
        note.title,
        note.territory,
        *(getattr(note, name) for name in TEXT_FIELDS),
        note.department.name if note.department_id else "",
        *(c.name for c in communes),
        *(c.name for c in competencies),
        *(t.name for t in topics),
        author.first_name,
        author.last_name,
        commune,
    )


@transaction.atomic
def note_save(*, note: ExperienceNote, competencies=(), topics=(), communes=()) -> ExperienceNote:
    """Create or change a note (an unsaved or changed instance, its `author` set) with what it
    is tagged with. A competency no longer offered may stay on a note, not be added to it; the
    visit it prepares must be a site visit; without a département chosen, the communes' one
    (when they are all in one)."""
    note.title = (note.title or "").strip()
    if not note.title:
        raise NoteError("Donnez un titre à la fiche.")
    if len(note.title) > TITLE_MAX_LENGTH:
        raise NoteError(f"Un titre fait au plus {TITLE_MAX_LENGTH} caractères.")
    for name in TEXT_FIELDS:
        text = (getattr(note, name) or "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise NoteError(
                f"Une rubrique fait au plus {TEXT_MAX_LENGTH:,} caractères.".replace(",", "\u202f")
            )
        setattr(note, name, text)
    note.territory = (note.territory or "").strip()[:200]
    if note.is_published and not note.action:
        raise NoteError(
            "Une fiche publiée garde son action : repassez-la en brouillon pour la retirer."
        )
    if note.site_visit_id and note.site_visit.kind != Event.Kind.SITE_VISIT:
        raise NoteError("Une fiche ne peut préparer qu’une visite de site.")
    competencies, topics, communes = list(competencies), list(topics), list(communes)
    kept = set(note.competencies.values_list("pk", flat=True)) if note.pk else set()
    retired = [c.name for c in competencies if not c.is_active and c.pk not in kept]
    if retired:
        raise NoteError(
            "Ces compétences ne sont plus proposées : " + ", ".join(sorted(retired)) + "."
        )
    if not note.department_id and communes:
        departments = {c.department_id for c in communes}
        if len(departments) == 1 and None not in departments:
            note.department_id = departments.pop()
    note.name = document_of(note.title)[:200]
    note.document = _document(note, competencies=competencies, topics=topics, communes=communes)
    note.save()
    note.competencies.set(competencies)
    note.topics.set(topics)
    note.communes.set(communes)
    return note


PUBLISH_NEEDS_ACTION = (
    "Décrivez l’action avant de publier la fiche : c’est ce que les pairs viennent y lire."
)


@transaction.atomic
def note_publish(*, note: ExperienceNote, at=None) -> ExperienceNote:
    """Publish a note: the network (partners included) reads it. It needs its action."""
    note = ExperienceNote.objects.select_for_update().get(pk=note.pk)
    if note.is_published:
        raise NoteError("Cette fiche est déjà publiée.")
    if not note.action.strip():
        raise NoteError(PUBLISH_NEEDS_ACTION)
    note.status = ExperienceNote.Status.PUBLISHED
    note.published_at = at or timezone.now()
    note.save(update_fields=["status", "published_at", "updated_at"])
    return note


@transaction.atomic
def note_unpublish(*, note: ExperienceNote) -> ExperienceNote:
    """Back to draft: only its author and staff see it again (its comments stay)."""
    note = ExperienceNote.objects.select_for_update().get(pk=note.pk)
    if not note.is_published:
        raise NoteError("Cette fiche est déjà un brouillon.")
    note.status = ExperienceNote.Status.DRAFT
    note.published_at = None
    note.save(update_fields=["status", "published_at", "updated_at"])
    return note


@transaction.atomic
def note_comment(*, note: ExperienceNote, author, text: str, tell_author=True) -> NoteComment:
    """A peer comments a published note; its author (unless they wrote the comment) is told by
    e-mail through the notifications engine. `tell_author=False`: a comment told long ago (the
    demo's history)."""
    text = (text or "").strip()
    if not text:
        raise NoteError("Écrivez votre commentaire avant de l’envoyer.")
    if len(text) > COMMENT_MAX_LENGTH:
        raise NoteError(
            f"Un commentaire fait au plus {COMMENT_MAX_LENGTH:,} caractères.".replace(",", "\u202f")
        )
    if not note.is_published:
        raise NoteError("On ne commente qu’une fiche publiée.")
    comment = NoteComment.objects.create(note=note, author=author, text=text)
    recipient = note.author
    if tell_author and recipient.pk != author.pk and recipient.is_active:
        send_email_on_commit(
            to=recipient.email,
            template="note_commented",
            category="mutual_help",
            recipient=recipient,
            key=f"note_comment:{comment.pk}",
            about=f"note_comment:{comment.pk}",
            topic=f"note:{note.pk}",
            topic_label=note.title,
            context={
                "recipient": recipient,
                "commenter": author.get_full_name() or "Un·e pair",
                "note": note,
                "comment": comment,
                "url": settings.SITE_URL + reverse("note", args=[note.pk]) + "#commentaires",
            },
        )
    return comment


@transaction.atomic
def note_attachment_add(*, note: ExperienceNote, name: str, content: bytes) -> NoteAttachment:
    """Attach a file (already checked for its type by the form) to a note."""
    note = ExperienceNote.objects.select_for_update().get(pk=note.pk)
    if len(content) > MAX_ATTACHMENT_SIZE:
        raise NoteError("Ce fichier dépasse 10 Mo.")
    if not content:
        raise NoteError("Ce fichier est vide.")
    if note.attachments.count() >= MAX_ATTACHMENTS:
        raise NoteError(
            f"Une fiche porte au plus {MAX_ATTACHMENTS} pièces jointes : retirez-en une d’abord."
        )
    name = name.replace("/", "_").replace("\\", "_").strip()[:120] or "fichier"
    attachment = NoteAttachment(note=note, name=name, size=len(content))
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def note_attachment_remove(*, attachment: NoteAttachment) -> None:
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
