"""Pathways (/parcours/): the list, a pathway with its steps and each person's progress, staff
edits of pathways and steps, and the review of prior-learning requests.

Writes go through `pathways.py`, reads through `progress.py` and `selectors.py`; a `PathwayError`
becomes a message and nothing is saved."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.pages import form_page
from core.permissions import requires
from learning import pathways as services
from learning import progress, selectors
from learning.forms.pathways import (
    PathwayForm,
    PriorLearningForm,
    ReviewForm,
    StepDeclareForm,
    StepForm,
)
from learning.models import Audience, Pathway, PathwayStep, PriorLearningRequest
from learning.progress import pathways_figures, progress_rows

PROCESSED_PAGE_SIZE = 30


# --- Pages ----------------------------------------------------------------------------------


@requires("pathways.view")
def pathway_list(request):
    access = request.access
    context = {
        "audiences": Audience.choices,
        "can_join": access.can("pathways.join"),
        "can_edit": access.can("pathways.edit"),
    }
    if context["can_join"]:
        rows = progress_rows(request.user)
        followed = [row.progress.enrolment.pathway_id for row in rows]
        context |= {
            "rows": rows,
            "recommendation": progress.recommendation(request.user),
            "others": selectors.pathways_to_join(followed=followed),
            "assessment_due": progress.assessment_due(request.user),
        }
    else:
        pathways = selectors.pathways_listed(with_closed=context["can_edit"])
        context["figures"] = pathways_figures(pathways)
        if context["can_edit"]:
            context["pending_requests"] = selectors.prior_learning_pending_count()
    return render(request, "learning/pathways/list.html", context)


@requires("pathways.view")
def pathway_detail(request, pk):
    pathway = get_object_or_404(Pathway, pk=pk)
    access = request.access
    can_join = access.can("pathways.join")
    enrolment = selectors.running_enrolment(pathway, request.user) if can_join else None
    context = {
        "pathway": pathway,
        "enrolment": enrolment,
        "audiences": Audience.choices,
        "can_join": can_join,
        "can_edit": access.can("pathways.edit"),
        "min_reflection": services.MIN_REFLECTION,
        "max_text": services.MAX_TEXT,
    }
    if enrolment:
        page = selectors.enrolment_page(enrolment, request.user)
        context["tutoring"] = selectors.tutoring_request(person=request.user, pathway=pathway)
        context["rows"] = page.rows
        context["progress"] = page.progress
        context["retired_done"] = page.retired_done
        context["assessment_due"] = progress.assessment_due(request.user)
    else:
        context["rows"] = selectors.pathway_steps(pathway)
    if not can_join:
        context["figures"] = progress.pathway_figures(pathway)
    if context["can_edit"]:
        context["start_warning"] = progress.pathway_start_warning(pathway)
    return render(request, "learning/pathways/detail.html", context)


def _step_url(step):
    return reverse("pathway", args=[step.pathway_id]) + f"#etape-{step.pk}"


# --- A coordinator's actions ----------------------------------------------------------------


@require_POST
@requires("pathways.join")
def pathway_join(request, pk):
    pathway = get_object_or_404(Pathway, pk=pk)
    try:
        services.pathway_join(pathway=pathway, person=request.user)
    except services.PathwayError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Vous suivez ce parcours. Les étapes déjà faites (présences, lectures) sont cochées.",
        )
    return redirect("pathway", pk=pk)


@requires("pathways.join")
def pathway_leave(request, pk):
    pathway = get_object_or_404(Pathway, pk=pk)
    enrolment = selectors.running_enrolment(pathway, request.user)
    if enrolment is None:
        messages.error(request, "Vous ne suivez pas ce parcours.")
        return redirect("pathway", pk=pk)
    if request.method == "POST":
        try:
            services.pathway_leave(enrolment=enrolment)
        except services.PathwayError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Vous avez quitté le parcours « {pathway} ».")
        return redirect("pathways")
    return form_page(
        request,
        forms.Form(),
        title=f"Quitter le parcours « {pathway} » ?",
        intro="Vous pourrez le rejoindre de nouveau plus tard : vos présences et vos "
        "lectures seront alors cochées d'elles-mêmes, les activités seront à déclarer.",
        submit="Quitter le parcours",
        back_url=reverse("pathway", args=[pk]),
    )


def _first_error(form):
    """The first error of a one-field form posted from the pathway page (shown as a message)."""
    return next(iter(form.errors.values()))[0]


def _warn_if_nothing_to_start(request, pathway):
    warning = progress.pathway_start_warning(pathway)
    if warning:
        messages.warning(request, warning)


def _step_and_enrolment(request, pk):
    step = get_object_or_404(PathwayStep.objects.select_related("pathway"), pk=pk)
    return step, selectors.running_enrolment(step.pathway, request.user)


@require_POST
@requires("pathways.join")
def step_declare(request, pk):
    step, enrolment = _step_and_enrolment(request, pk)
    if enrolment is None:
        messages.error(request, "Rejoignez d'abord ce parcours.")
        return redirect(_step_url(step))
    form = StepDeclareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_step_url(step))
    try:
        services.step_declare(
            enrolment=enrolment, step=step, reflection=form.cleaned_data["reflection"]
        )
    except services.PathwayError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Étape « {step} » faite. Merci pour votre réflexion.")
    return redirect(_step_url(step))


@require_POST
@requires("pathways.join")
def prior_learning_request(request, pk):
    step, enrolment = _step_and_enrolment(request, pk)
    if enrolment is None:
        messages.error(request, "Rejoignez d'abord ce parcours.")
        return redirect(_step_url(step))
    form = PriorLearningForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect(_step_url(step))
    try:
        services.prior_learning_request(
            enrolment=enrolment, step=step, justification=form.cleaned_data["justification"]
        )
    except services.PathwayError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre demande est envoyée : l'équipe vous répond ici.")
    return redirect(_step_url(step))


# --- Staff: pathways and steps --------------------------------------------------------------


@requires("pathways.edit")
def pathway_edit(request, pk=None):
    pathway = get_object_or_404(Pathway, pk=pk) if pk else None
    form = PathwayForm(request.POST or None, instance=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            pathway = services.pathway_save(pathway=form.save(commit=False))
        except services.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Parcours enregistré.")
            _warn_if_nothing_to_start(request, pathway)
            return redirect("pathway", pk=pathway.pk)
    return form_page(
        request,
        form,
        title=f"Modifier le parcours « {pathway} »" if pathway else "Nouveau parcours",
        back_url=reverse("pathway", args=[pk]) if pk else reverse("pathways"),
    )


@requires("pathways.edit")
def step_edit(request, pathway_pk=None, pk=None):
    if pk:
        step = get_object_or_404(PathwayStep.objects.select_related("pathway"), pk=pk)
        pathway = step.pathway
        if step.is_retired:
            messages.error(request, "Cette étape est retirée : elle ne se modifie plus.")
            return redirect("pathway", pk=pathway.pk)
    else:
        pathway, step = get_object_or_404(Pathway, pk=pathway_pk), None
    form = StepForm(request.POST or None, instance=step, pathway=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_save(step=form.save(commit=False))
        except services.PathwayError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Étape enregistrée. La progression des personnes inscrites est gardée."
            )
            _warn_if_nothing_to_start(request, pathway)
            return redirect(_step_url(step))
    return form_page(
        request,
        form,
        pathway=pathway,
        title=f"Modifier l'étape « {step} » du parcours « {pathway} »"
        if step
        else f"Nouvelle étape du parcours « {pathway} »",
        back_url=reverse("pathway", args=[pathway.pk]),
    )


@requires("pathways.edit")
def step_retire(request, pk):
    step = get_object_or_404(PathwayStep.objects.select_related("pathway"), pk=pk)
    if request.method == "POST":
        try:
            services.step_retire(step=step)
        except services.PathwayError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Étape « {step} » retirée ; les étapes faites sont gardées.")
            _warn_if_nothing_to_start(request, step.pathway)
        return redirect("pathway", pk=step.pathway_id)
    return form_page(
        request,
        forms.Form(),
        title=f"Retirer l'étape « {step} » du parcours « {step.pathway} » ?",
        intro="Elle disparaît du parcours pour tout le monde. Les personnes qui l'ont "
        "faite la gardent, affichée à part comme étape d'une version précédente.",
        submit="Retirer l'étape",
        back_url=_step_url(step),
    )


@require_POST
@requires("pathways.edit")
def steps_reorder(request, pk):
    """Move one step up or down ("Monter" / "Descendre")."""
    pathway = get_object_or_404(Pathway, pk=pk)
    ids = list(
        pathway.steps.filter(retired_at__isnull=True)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    try:
        step_id = int(request.POST.get("step", ""))
        index = ids.index(step_id)
    except ValueError:
        messages.error(request, "Cette étape ne fait plus partie du parcours : rechargez la page.")
        return redirect("pathway", pk=pk)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        try:
            services.steps_reorder(pathway=pathway, step_ids=ids)
        except services.PathwayError as error:
            messages.error(request, str(error))
    return redirect(reverse("pathway", args=[pk]) + f"#etape-{step_id}")


# --- Staff: prior learning ------------------------------------------------------------------


@requires("pathways.edit")
def prior_learning_requests(request):
    processed = selectors.prior_learning_processed()
    return render(
        request,
        "learning/pathways/prior_learning.html",
        {
            "pending": selectors.prior_learning_pending(),
            "page": Paginator(processed, PROCESSED_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


@require_POST
@requires("pathways.edit")
def prior_learning_review(request, pk):
    plr = get_object_or_404(PriorLearningRequest, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez d'accepter ou de refuser la demande.")
        return redirect("prior_learning_requests")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.prior_learning_review(
            request=plr, reviewer=request.user, accept=accept, comment=form.cleaned_data["comment"]
        )
    except services.PathwayError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Demande acceptée : l'étape est faite." if accept else "Demande refusée."
        )
    return redirect("prior_learning_requests")
