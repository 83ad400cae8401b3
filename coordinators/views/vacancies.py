"""Vacancies: the public list /dispositifs/postes-vacants/ and a vacancy's page (no account
needed: open vacancies only are listed, with the contact the publisher chose to show, nothing of
the people who held the post); publishing from a post, changing and closing, for the team and
the post's leaving holder (`vacancies.may_publish_vacancy`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from coordinators import selectors, vacancies
from coordinators.models import Post
from coordinators.vacancy_forms import VacancyFilterForm, VacancyForm
from core.pages import form_page
from core.permissions import requires

PAGE_SIZE = 20


@login_not_required
@require_safe
def vacancy_list(request):
    """Public: the network's open vacancies (closing date not passed), by département and
    scheme type."""
    today = timezone.localdate()
    form = VacancyFilterForm(request.GET or None)
    found = vacancies.open_vacancies(today, **form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordinators/vacancies/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": today},
    )


def _vacancy_or_404(pk):
    vacancy = vacancies.vacancy_page(pk)
    if vacancy is None:
        raise Http404("Offre introuvable")
    return vacancy


@login_not_required
@require_safe
def vacancy_detail(request, pk):
    """Public: a vacancy, printable; a closed one says so and links to the list."""
    today = timezone.localdate()
    vacancy = _vacancy_or_404(pk)
    return render(
        request,
        "coordinators/vacancies/detail.html",
        {
            "vacancy": vacancy,
            "closed": vacancies.closed_reason(vacancy, today),
            "can_manage": vacancies.may_manage_vacancy(request.access, vacancy, today),
            "schemes": vacancy.post.schemes.all(),
        },
    )


def _post_url(post):
    scheme = post.schemes.order_by("name").first()
    return reverse("scheme", args=[scheme.pk]) if scheme else reverse("schemes")


@requires("vacancies.publish")
def vacancy_publish(request, pk):
    post = get_object_or_404(Post, pk=pk)
    today = timezone.localdate()
    if not vacancies.may_publish_vacancy(request.access, post, today):
        raise PermissionDenied
    current = vacancies.open_vacancy_of(post)
    if current is not None and vacancies.is_listed(current, today):
        messages.info(
            request, "Une offre est déjà publiée pour ce poste : vous pouvez la modifier."
        )
        return redirect("vacancy_edit", pk=current.pk)
    refusal = vacancies.publish_refusal(post, today)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(_post_url(post))
    form = VacancyForm(request.POST or None, initial=vacancies.vacancy_defaults(post, today))
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = vacancies.vacancy_publish(post=post, by=request.user, **form.cleaned_data)
        except vacancies.VacancyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "L’offre est publiée : elle figure sur la liste publique des postes vacants "
                f"jusqu’au {vacancy.closes_on:%d/%m/%Y}.",
            )
            return redirect("vacancy", pk=vacancy.pk)
    return form_page(
        request,
        form,
        title=f"Publier l’offre du {selectors.post_label(post, today)}",
        submit="Publier l’offre",
        back_url=_post_url(post),
        intro="L’offre est publique : toute personne, sans compte, la lit sur la liste des postes "
        "vacants du réseau. Elle se clôt d’elle-même quand une arrivée est enregistrée sur le "
        "poste, ou après la date limite de candidature.",
    )


def _managed_or_refuse(request, pk, today):
    vacancy = _vacancy_or_404(pk)
    if not vacancies.may_manage_vacancy(request.access, vacancy, today):
        raise PermissionDenied
    return vacancy


@requires("vacancies.publish")
def vacancy_edit(request, pk):
    today = timezone.localdate()
    vacancy = _managed_or_refuse(request, pk, today)
    if vacancy.status != vacancy.Status.OPEN:
        messages.error(request, "Cette offre est close : publiez-en une nouvelle depuis le poste.")
        return redirect("vacancy", pk=vacancy.pk)
    initial = {name: getattr(vacancy, name) for name in vacancies.FIELDS}
    form = VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vacancies.vacancy_update(vacancy=vacancy, **form.cleaned_data)
        except vacancies.VacancyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "L’offre est modifiée.")
            return redirect("vacancy", pk=vacancy.pk)
    return form_page(
        request,
        form,
        title=f"Modifier l’offre « {vacancy} »",
        back_url=reverse("vacancy", args=[vacancy.pk]),
    )


@require_POST
@requires("vacancies.publish")
def vacancy_close(request, pk):
    vacancy = _managed_or_refuse(request, pk, timezone.localdate())
    try:
        vacancies.vacancy_close(vacancy=vacancy)
    except vacancies.VacancyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "L’offre est close : elle n’est plus sur la liste publique.")
    return redirect("vacancy", pk=vacancy.pk)


urlpatterns = [
    path("dispositifs/postes-vacants/", vacancy_list, name="vacancies"),
    path("dispositifs/postes-vacants/<int:pk>/", vacancy_detail, name="vacancy"),
    path("dispositifs/postes-vacants/<int:pk>/modifier/", vacancy_edit, name="vacancy_edit"),
    path("dispositifs/postes-vacants/<int:pk>/clore/", vacancy_close, name="vacancy_close"),
    path("dispositifs/postes/<int:pk>/offre/", vacancy_publish, name="vacancy_publish"),
]
