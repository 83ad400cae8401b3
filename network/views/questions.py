"""Mutual help: /entraide/questions/ — the questions asked to the network (searched and
filtered), asking one, a question's page with its answers, answering, the useful answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST, require_safe

from core.pages import form_page
from core.permissions import requires

from ..forms.questions import AnswerForm, QuestionFilterForm, QuestionForm
from ..selectors import questions as selectors
from ..services import questions as services

PAGE_SIZE = 20
ASK = "questions.ask"


@requires("questions.view")
@require_safe
def question_list(request):
    form = QuestionFilterForm(request.GET or None)
    found = selectors.questions_found(person=request.user, filters=form.filters())
    page = Paginator(selectors.question_cards(found), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/questions/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_ask": request.access.can(ASK),
        },
    )


@requires(ASK)
def question_ask(request):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(author=request.user, **form.cleaned_data)
        except services.QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Votre question est publiée ; les pairs qui peuvent aider sur ces sujets en "
                "sont prévenu·es. Vous recevrez un e-mail à chaque réponse.",
            )
            return redirect("question", pk=question.pk)
    return form_page(
        request,
        form,
        title="Poser une question au réseau",
        intro="Les coordinateur·rices qui proposent leur aide sur les compétences ou les "
        "thématiques choisies en sont prévenu·es, selon ce qu’ils et elles ont choisi "
        "(aussitôt ou dans un récapitulatif quotidien).",
        back_url=reverse("questions"),
        submit="Publier la question",
    )


def _question_or_404(pk):
    question = selectors.question_page(pk)
    if question is None:
        raise Http404("Question introuvable")
    return question


def _page(request, question, answer_form=None, status=200):
    can_answer = request.access.can(ASK)
    answers = list(question.answers.all())
    for answer in answers:
        answer.is_useful = answer.pk == question.useful_answer_id
    return render(
        request,
        "network/questions/detail.html",
        {
            "question": question,
            "answers": answers,
            "is_asker": question.author_id == request.user.pk,
            "told": selectors.peers_told(question)
            if question.author_id == request.user.pk
            else None,
            # A closed question takes no answer; a refused one is shown again with its text.
            "answer_form": answer_form
            or (AnswerForm() if can_answer and not question.closed_at else None),
        },
        status=status,
    )


@requires("questions.view")
@require_safe
def question_detail(request, pk):
    return _page(request, _question_or_404(pk))


@require_POST
@requires(ASK)
def question_answer(request, pk):
    question = _question_or_404(pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_add(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except services.QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre réponse est publiée ; la personne en est prévenue.")
            return redirect(f"{reverse('question', args=[question.pk])}#reponse-{answer.pk}")
    return _page(request, question, answer_form=form)


@require_POST
@requires(ASK)
def answer_useful(request, pk, answer_pk):
    """The asker marks an answer useful, or (`useful=0`) takes the mark back."""
    question = _question_or_404(pk)
    answer = next((a for a in question.answers.all() if a.pk == answer_pk), None)
    if answer is None:
        raise Http404("Réponse introuvable")
    useful = request.POST.get("useful") != "0"
    try:
        services.answer_mark_useful(
            question=question, answer=answer if useful else None, person=request.user
        )
    except services.NotTheAsker as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request,
        "Cette réponse est marquée comme utile." if useful else "La réponse n’est plus marquée.",
    )
    return redirect(f"{reverse('question', args=[question.pk])}#reponse-{answer.pk}")


@require_POST
@requires(ASK)
def question_close(request, pk):
    """The asker closes the question, or (`closed=0`) opens it again."""
    question = _question_or_404(pk)
    closed = request.POST.get("closed") != "0"
    try:
        services.question_close(question=question, person=request.user, closed=closed)
    except services.NotTheAsker as error:
        raise PermissionDenied(str(error)) from error
    messages.success(
        request,
        "La question est close : elle ne reçoit plus de réponses."
        if closed
        else "La question est de nouveau ouverte aux réponses.",
    )
    return redirect("question", pk=question.pk)


urlpatterns = [
    path("questions/", question_list, name="questions"),
    path("questions/poser/", question_ask, name="question_ask"),
    path("questions/<int:pk>/", question_detail, name="question"),
    path("questions/<int:pk>/repondre/", question_answer, name="question_answer"),
    path("questions/<int:pk>/clore/", question_close, name="question_close"),
    path(
        "questions/<int:pk>/reponses/<int:answer_pk>/utile/",
        answer_useful,
        name="answer_useful",
    ),
]
