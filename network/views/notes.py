"""Experience notes: /entraide/fiches/. The list and its results are one view (htmx asks for the
results alone); a note's page, its form, publishing, comments and attached files."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from core.pages import form_page
from core.permissions import requires
from resources.files import INLINE, TEXT

from ..forms.notes import AttachmentForm, CommentForm, NoteFilterForm, NoteForm
from ..models.notes import ExperienceNote
from ..selectors import notes as selectors
from ..services import notes as services

PAGE_SIZE = 20


@requires("notes.view")
@require_safe
def note_list(request):
    can_write = request.access.can("notes.write")
    form = NoteFilterForm(request.GET or None, can_write=can_write)
    notes = selectors.notes_list(request.access, form.filters())
    page = Paginator(selectors.note_cards(notes), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_author_places(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "can_write": can_write}
    if request.htmx and not request.htmx.history_restore_request:
        context["announce"] = True  # the count, read out by screen readers
        response = render(request, "network/notes/_results.html", context)
    else:
        response = render(request, "network/notes/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _note_or_404(request, pk):
    note = selectors.note_page(pk, request.access)
    if note is None:
        raise Http404("Fiche introuvable")
    return note


def _editable_or_refuse(request, pk):
    """The note, if the reader may change it: 404 if they cannot see it, 403 if only read it."""
    note = _note_or_404(request, pk)
    if not selectors.can_edit_note(request.access, note):
        raise PermissionDenied
    return note


def _note_page(request, note, *, comment_form=None, status=200):
    return render(
        request,
        "network/notes/detail.html",
        {
            "note": note,
            "can_edit": selectors.can_edit_note(request.access, note),
            "can_comment": selectors.can_comment_note(request.access, note),
            "comment_form": comment_form or CommentForm(),
        },
        status=status,
    )


@requires("notes.view")
@require_safe
def note_detail(request, pk):
    return _note_page(request, _note_or_404(request, pk))


@requires("notes.write")
def note_edit(request, pk=None):
    note = _editable_or_refuse(request, pk) if pk else ExperienceNote(author=request.user)
    form = NoteForm(
        request.POST or None,
        instance=note,
        site_visits=selectors.site_visits_to_prepare(note if pk else None),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note = services.note_save(
                note=form.save(commit=False),
                competencies=data["competencies"],
                topics=data["topics"],
                communes=data["communes"],
            )
        except services.NoteError as error:
            form.add_error(None, str(error))
        else:
            if pk:
                messages.success(request, "La fiche est enregistrée.")
            else:
                messages.success(
                    request,
                    "La fiche est enregistrée en brouillon : vous seul·e (et l’équipe) la voyez. "
                    "Ajoutez des pièces jointes, puis publiez-la.",
                )
            return redirect("note", pk=note.pk)
    return form_page(
        request,
        form,
        title=f"Modifier la fiche « {note} »" if pk else "Nouvelle fiche d’expérience",
        back_url=reverse("note", args=[pk]) if pk else reverse("notes"),
        intro=""
        if pk
        else "Une fiche raconte une action menée : pour qu’un·e pair puisse s’en inspirer. "
        "Elle reste un brouillon tant que vous ne la publiez pas.",
    )


@require_POST
@requires("notes.write")
def note_publish(request, pk):
    note = _editable_or_refuse(request, pk)
    try:
        services.note_publish(note=note)
    except services.NoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La fiche est publiée : le réseau peut la lire.")
    return redirect("note", pk=note.pk)


@require_POST
@requires("notes.write")
def note_unpublish(request, pk):
    note = _editable_or_refuse(request, pk)
    try:
        services.note_unpublish(note=note)
    except services.NoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La fiche est repassée en brouillon.")
    return redirect("note", pk=note.pk)


@require_POST
@requires("notes.write")
def note_comment(request, pk):
    note = _note_or_404(request, pk)
    form = CommentForm(request.POST)
    if not selectors.can_comment_note(request.access, note):
        messages.error(request, "On ne commente qu’une fiche publiée.")
        return redirect("note", pk=note.pk)
    if form.is_valid():
        try:
            services.note_comment(note=note, author=request.user, text=form.cleaned_data["text"])
        except services.NoteError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "Votre commentaire est publié ; l’auteur·rice est prévenu·e.")
            return redirect(reverse("note", args=[note.pk]) + "#commentaires")
    return _note_page(request, note, comment_form=form)


# The upload reads the file outside any transaction (a long upload holds no lock,
# core/transactions.py); `note_attachment_add` writes in one transaction of its own.


@transaction.non_atomic_requests
@requires("notes.write")
def note_attachment_add(request, pk):
    note = _editable_or_refuse(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            services.note_attachment_add(note=note, name=upload.name, content=content)
        except services.NoteError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"« {upload.name} » est jointe à la fiche.")
            return redirect(reverse("note", args=[note.pk]) + "#pieces-jointes")
    return form_page(
        request,
        form,
        title=f"Joindre un fichier à « {note} »",
        back_url=reverse("note", args=[note.pk]),
        submit="Joindre",
    )


@require_POST
@requires("notes.write")
def note_attachment_remove(request, pk, attachment_pk):
    note = _editable_or_refuse(request, pk)
    attachment = next((a for a in note.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404("Pièce jointe introuvable")
    services.note_attachment_remove(attachment=attachment)
    messages.success(request, f"« {attachment.name} » est retirée de la fiche.")
    return redirect(reverse("note", args=[note.pk]) + "#pieces-jointes")


@requires("notes.view")
@require_safe
def note_attachment(request, pk, attachment_pk):
    """An attached file, for those who may open the note (no public media address)."""
    _note, attachment = selectors.attachment_of(pk, attachment_pk, request.access)
    if attachment is None:
        raise Http404("Pièce jointe introuvable")
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("Ce fichier est introuvable.") from None
    suffix = PurePath(attachment.name).suffix.lower()
    return FileResponse(
        content,
        filename=attachment.name,
        as_attachment=suffix not in INLINE,
        content_type=TEXT.get(suffix),
    )


urlpatterns = [
    path("fiches/", note_list, name="notes"),
    path("fiches/nouvelle/", note_edit, name="note_create"),
    path("fiches/<int:pk>/", note_detail, name="note"),
    path("fiches/<int:pk>/modifier/", note_edit, name="note_edit"),
    path("fiches/<int:pk>/publier/", note_publish, name="note_publish"),
    path("fiches/<int:pk>/depublier/", note_unpublish, name="note_unpublish"),
    path("fiches/<int:pk>/commenter/", note_comment, name="note_comment"),
    path("fiches/<int:pk>/pieces-jointes/", note_attachment_add, name="note_attachment_add"),
    path(
        "fiches/<int:pk>/pieces-jointes/<int:attachment_pk>/",
        note_attachment,
        name="note_attachment",
    ),
    path(
        "fiches/<int:pk>/pieces-jointes/<int:attachment_pk>/retirer/",
        note_attachment_remove,
        name="note_attachment_remove",
    ),
]
