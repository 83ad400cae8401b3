"""/entraide/: what the network offers between peers, and where each person stands in it: their
tutoring, the questions they could answer and those they asked, the latest experience notes.
Each part shows only to those whose role may use it."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from core.permissions import requires

from ..selectors import notes, questions, tutoring


@requires("mutual_help.view")
@require_safe
def mutual_help(request):
    access, person = request.access, request.user
    context = {}
    if access.can("tutoring.manage"):
        context["overview"] = tutoring.tutoring_overview()
    elif access.can("tutoring.request"):
        context["tutoring"] = tutoring.tutoring_summary(person)
    if access.can("questions.view"):
        context["questions_for_me"] = questions.questions_on_my_topics(person, limit=3)
        context["my_questions"] = questions.my_questions(person, limit=3)
    context["latest_notes"], context["my_drafts"] = notes.notes_latest(access)
    return render(request, "network/mutual_help.html", context)


urlpatterns = [path("", mutual_help, name="mutual_help")]
