"""Tutoring of newcomers: /entraide/tutorat/. A coordinator's page (their request or pair, the
requests waiting for their answer as tutor, the tutors suggested), a pair's page (sessions,
notes, end), and the staff's overview, from which they propose pairs."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from core.pages import form_page
from core.permissions import requires

from ..forms.tutoring import (
    TutoringAnswerForm,
    TutoringEndForm,
    TutoringNoteForm,
    TutoringProposeForm,
    TutoringRequestForm,
    TutoringSessionForm,
)
from ..models.tutoring import TutoringPair, TutoringSession
from ..selectors import tutoring as selectors
from ..services import tutoring as services


def _posted(request):
    """The data a form is bound to: what was posted (even nothing), None on GET."""
    return request.POST if request.method == "POST" else None


@requires("tutoring.view")
@require_safe
def tutoring(request):
    today = date.today()
    context = {
        "mine": selectors.my_tutoring(request.user, today),
        "can_request": request.access.can("tutoring.request"),
        "can_manage": request.access.can("tutoring.manage"),
    }
    return render(request, "network/tutoring/tutoring.html", context)


@requires("tutoring.request")
def tutoring_request(request):
    tutors = selectors.tutors_with_room(request.user)
    initial = {}
    if request.GET.get("tuteur", "").isdigit():
        initial["tutor"] = request.GET["tuteur"]
    form = TutoringRequestForm(_posted(request), tutors=tutors, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.tutoring_request(
                newcomer=request.user,
                tutor=form.cleaned_data["tutor"],
                message=form.cleaned_data["message"],
            )
        except services.TutoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Votre demande est envoyée à {pair.tutor.get_full_name()} : vous serez "
                "prévenu·e de sa réponse par e-mail."
                if pair.tutor
                else "Votre demande est envoyée à l’équipe PromoSanté, qui vous propose un·e "
                "tuteur·rice.",
            )
            return redirect("tutoring")
    return form_page(
        request,
        form,
        title="Demander un tutorat",
        intro="Un·e coordinateur·rice expérimenté·e vous accompagne pendant vos premiers mois. "
        "Choisissez la personne à qui le demander (la page Tutorat vous suggère celles en poste "
        "depuis au moins 3 ans, sur le même type de dispositif, près de chez vous), ou laissez "
        "l’équipe vous proposer quelqu’un.",
        back_url=reverse("tutoring"),
        submit="Envoyer la demande",
    )


@require_POST
@requires("tutoring.request")
def tutoring_withdraw(request, pk):
    pair = get_object_or_404(TutoringPair, pk=pk, newcomer=request.user)
    try:
        services.tutoring_withdraw(pair=pair, newcomer=request.user)
    except services.TutoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre demande est retirée.")
    return redirect("tutoring")


@requires("tutoring.view")
def tutoring_answer(request, pk):
    try:
        pair = selectors.pair_to_answer(pk, user=request.user)
    except TutoringPair.DoesNotExist as error:
        raise Http404("Demande introuvable") from error
    if pair.status != TutoringPair.Status.REQUESTED:
        messages.info(request, "Vous avez déjà répondu à cette demande.")
        return redirect("tutoring")
    form = TutoringAnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.tutoring_answer(
                pair=pair, tutor=request.user, accept=accept, answer=form.cleaned_data["answer"]
            )
        except services.TutoringError as error:
            form.add_error(None, str(error))
        else:
            if accept:
                messages.success(
                    request,
                    f"Vous accompagnez désormais {pair.newcomer.get_full_name()} : "
                    "planifiez votre première séance.",
                )
                return redirect("tutoring_pair", pk=pair.pk)
            messages.success(request, "Votre réponse est envoyée.")
            return redirect("tutoring")
    return render(request, "network/tutoring/answer.html", {"pair": pair, "form": form}, status=200)


@requires("tutoring.view")
@require_safe
def tutoring_pair(request, pk):
    try:
        pair = selectors.pair_for(pk, user=request.user, access=request.access)
    except TutoringPair.DoesNotExist as error:
        raise Http404("Tutorat introuvable") from error
    member = pair.is_member(request.user.pk)
    active = pair.status == TutoringPair.Status.ACTIVE
    context = {
        "pair": pair,
        "now": timezone.now(),
        "member": member,
        "session_form": TutoringSessionForm() if member and active else None,
        "note_form": TutoringNoteForm()
        if pair.status in (TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED)
        else None,
        "my_feedback_due": member
        and pair.status in (TutoringPair.Status.ACTIVE, TutoringPair.Status.ENDED)
        and not (
            pair.newcomer_feedback if request.user.pk == pair.newcomer_id else pair.tutor_feedback
        ),
    }
    return render(request, "network/tutoring/pair.html", context)


def _pair(request, pk):
    try:
        return selectors.pair_for(pk, user=request.user, access=request.access)
    except TutoringPair.DoesNotExist as error:
        raise Http404("Tutorat introuvable") from error


@requires("tutoring.view")
def tutoring_session(request, pk):
    pair = _pair(request, pk)
    form = TutoringSessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.tutoring_session_plan(pair=pair, by=request.user, **form.cleaned_data)
        except services.TutoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "La séance est planifiée : vous recevrez tous deux un rappel."
            )
            return redirect("tutoring_pair", pk=pair.pk)
    return form_page(
        request,
        form,
        title="Planifier une séance de tutorat",
        intro="La séance apparaît dans l’agenda de chacun·e de vous deux seulement.",
        back_url=reverse("tutoring_pair", args=[pair.pk]),
        submit="Planifier la séance",
    )


@require_POST
@requires("tutoring.view")
def tutoring_session_cancel(request, pk):
    session = get_object_or_404(TutoringSession.objects.select_related("event", "pair"), pk=pk)
    if not session.pair.is_member(request.user.pk):
        raise Http404("Séance introuvable")
    try:
        services.tutoring_session_cancel(session=session, by=request.user)
    except services.TutoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La séance est annulée ; l’autre personne est prévenue.")
    return redirect("tutoring_pair", pk=session.pair_id)


@require_POST
@requires("tutoring.view")
def tutoring_note(request, pk):
    pair = _pair(request, pk)
    form = TutoringNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("tutoring_pair", pk=pair.pk)
    try:
        services.tutoring_note_add(
            pair=pair,
            author=request.user,
            text=form.cleaned_data["text"],
            staff=request.access.can("tutoring.manage"),
        )
    except services.TutoringError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La note est enregistrée.")
    return redirect(reverse("tutoring_pair", args=[pair.pk]) + "#notes")


@requires("tutoring.view")
def tutoring_end(request, pk):
    pair = _pair(request, pk)
    if not pair.is_member(request.user.pk):
        raise Http404("Tutorat introuvable")
    form = TutoringEndForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.tutoring_end(
                pair=pair, by=request.user, feedback=form.cleaned_data["feedback"]
            )
        except services.TutoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Merci pour votre bilan.")
            return redirect("tutoring_pair", pk=pair.pk)
    ending = pair.status == TutoringPair.Status.ACTIVE
    return form_page(
        request,
        form,
        title="Terminer le tutorat" if ending else "Donner mon bilan du tutorat",
        intro="Le tutorat se termine pour vous deux ; les séances à venir sont annulées. "
        "L’autre personne est invitée à donner son bilan."
        if ending
        else "Votre bilan aide l’équipe à faire vivre le tutorat dans le réseau.",
        back_url=reverse("tutoring_pair", args=[pair.pk]),
        submit="Terminer le tutorat" if ending else "Envoyer mon bilan",
    )


@requires("tutoring.manage")
@require_safe
def tutoring_overview(request):
    return render(
        request,
        "network/tutoring/overview.html",
        {"overview": selectors.tutoring_overview(date.today())},
    )


@requires("tutoring.manage")
def tutoring_propose(request, person_pk):
    newcomer = get_object_or_404(
        User, pk=person_pk, coordinator_profile__status="approved", is_active=True
    )
    suggestions = selectors.proposable_tutors(newcomer)
    form = TutoringProposeForm(_posted(request), tutors=[s.tutor for s in suggestions])
    if request.method == "POST" and form.is_valid():
        try:
            services.tutoring_propose(
                newcomer=newcomer,
                tutor=form.cleaned_data["tutor"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except services.TutoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Le tutorat est proposé à {form.cleaned_data['tutor'].get_full_name()}, qui "
                "accepte ou décline.",
            )
            return redirect("tutoring_overview")
    return render(
        request,
        "network/tutoring/propose.html",
        {"newcomer": newcomer, "suggestions": suggestions, "form": form},
    )


urlpatterns = [
    path("tutorat/", tutoring, name="tutoring"),
    path("tutorat/demander/", tutoring_request, name="tutoring_request"),
    path("tutorat/suivi/", tutoring_overview, name="tutoring_overview"),
    path("tutorat/proposer/<int:person_pk>/", tutoring_propose, name="tutoring_propose"),
    path("tutorat/<int:pk>/", tutoring_pair, name="tutoring_pair"),
    path("tutorat/<int:pk>/reponse/", tutoring_answer, name="tutoring_answer"),
    path("tutorat/<int:pk>/retirer/", tutoring_withdraw, name="tutoring_withdraw"),
    path("tutorat/<int:pk>/seances/", tutoring_session, name="tutoring_session"),
    path(
        "tutorat/seances/<int:pk>/annuler/",
        tutoring_session_cancel,
        name="tutoring_session_cancel",
    ),
    path("tutorat/<int:pk>/notes/", tutoring_note, name="tutoring_note"),
    path("tutorat/<int:pk>/fin/", tutoring_end, name="tutoring_end"),
]
