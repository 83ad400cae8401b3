"""Pages of the register: /dispositifs/. Views parse input, call a service or selector, render."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coordinators import selectors, services
from coordinators.filters import SchemeFilter
from coordinators.forms import (
    ArrivalForm,
    ClaimForm,
    DepartureForm,
    HandoverForm,
    PostForm,
    SchemeForm,
    TenureForm,
)
from coordinators.models import HandoverFile, Post, PostClaim, Scheme, Tenure
from core.pages import form_page
from core.permissions import requires
from core.text import de

PAGE_SIZE = 50


@requires("schemes.view")
def scheme_list(request):
    today = date.today()
    schemes = selectors.scheme_list(request.access, today)
    filterset = SchemeFilter(request.GET or None, queryset=schemes, access=request.access)
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else schemes
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordinators/scheme_list.html",
        {
            "filter": filterset,
            "page": page,
            "summary": selectors.scheme_summary(filtered),
            "query": query.urlencode(),
        },
    )


def _scheme_or_404(pk, today):
    try:
        return selectors.scheme_detail(pk, today)
    except Scheme.DoesNotExist as error:
        raise Http404("Dispositif introuvable") from error


@requires("schemes.view")
def scheme_detail(request, pk):
    today = date.today()
    scheme = _scheme_or_404(pk, today)
    return render(
        request,
        "coordinators/scheme_detail.html",
        {
            "scheme": scheme,
            "today": today,
            "sees_history": request.access.sees_history_of(scheme.department.code),
            "sees_holders": selectors.sees_holders_of(request.access, scheme.department.code),
            "can_edit": request.access.can("schemes.edit"),
            "can_claim": request.access.can("posts.claim"),
        },
    )


@requires("schemes.edit")
def scheme_edit(request, pk=None):
    scheme = get_object_or_404(Scheme, pk=pk) if pk else Scheme()
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_save(
                scheme=form.save(commit=False), communes=list(form.cleaned_data["communes"])
            )
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Dispositif « {scheme} » enregistré.")
            return redirect("scheme", pk=scheme.pk)
    return form_page(
        request,
        form,
        title=f"Modifier le dispositif « {scheme} »" if scheme.pk else "Nouveau dispositif",
        back_url=reverse("scheme", args=[scheme.pk]) if scheme.pk else reverse("schemes"),
    )


@requires("schemes.edit")
def post_edit(request, scheme_pk=None, pk=None):
    post = get_object_or_404(Post, pk=pk) if pk else Post()
    scheme = get_object_or_404(Scheme, pk=scheme_pk) if scheme_pk else post.schemes.first()
    initial = {"schemes": [scheme], "opened_on": date.today()} if not pk else None
    form = PostForm(
        request.POST or None, instance=post, department=scheme.department, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_save(
                post=form.save(commit=False), schemes=list(form.cleaned_data["schemes"])
            )
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Poste enregistré.")
            return redirect("scheme", pk=scheme.pk)
    return form_page(
        request,
        form,
        title=f"Modifier le {_post_label(post)}" if post.pk else f"Nouveau poste — {scheme}",
        back_url=reverse("scheme", args=[scheme.pk]),
    )


def _post_label(post):
    return selectors.post_label(post)


def _post_url(post):
    scheme = post.schemes.first()
    return reverse("scheme", args=[scheme.pk]) if scheme else reverse("schemes")


def _back_to_post(post):
    return redirect(_post_url(post))


@requires("schemes.edit")
def arrival(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = ArrivalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["person"]:
                tenure = services.post_arrival(
                    post=post, person=data["person"], started_on=data["started_on"]
                )
            else:
                tenure = services.post_arrival_new_person(
                    post=post,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    started_on=data["started_on"],
                )
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Arrivée {de(str(tenure.person))} enregistrée.")
            return _back_to_post(post)
    return form_page(
        request,
        form,
        title=f"Enregistrer une arrivée sur le {_post_label(post)}",
        submit="Enregistrer l'arrivée",
        back_url=_post_url(post),
    )


@requires("schemes.edit")
def departure(request, pk):
    tenure = get_object_or_404(
        Tenure.objects.select_related("post", "person"), pk=pk, ended_on__isnull=True
    )
    form = DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_departure(
                tenure=tenure,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Départ {de(str(tenure.person or 'la personne'))} enregistré : "
                "le poste est vacant.",
            )
            return _back_to_post(tenure.post)
    return form_page(
        request,
        form,
        title=f"Enregistrer le départ {de(str(tenure.person))} du {_post_label(tenure.post)}",
        submit="Enregistrer le départ",
        back_url=_post_url(tenure.post),
    )


@requires("schemes.edit")
def tenure_edit(request, pk):
    tenure = get_object_or_404(Tenure.objects.select_related("post", "person"), pk=pk)
    form = TenureForm(
        request.POST or None,
        initial={
            "started_on": tenure.started_on,
            "ended_on": tenure.ended_on,
            "end_reason": tenure.end_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tenure_update(tenure=tenure, **form.cleaned_data)
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Prise de poste corrigée.")
            return _back_to_post(tenure.post)
    return form_page(
        request,
        form,
        title=f"Corriger la prise de poste {de(str(tenure.person))} ({_post_label(tenure.post)})",
        submit="Enregistrer",
        back_url=_post_url(tenure.post),
    )


@requires("posts.claim")
def claim(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_claim_create(person=request.user, post=post, **form.cleaned_data)
        except services.RegisterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Votre demande est envoyée : l'équipe PromoSanté la confirmera."
            )
            return redirect("profile")
    return form_page(
        request,
        form,
        title=f"C'est mon poste : {_post_label(post)}",
        submit="Envoyer la demande",
        back_url=_post_url(post),
        intro="L'équipe PromoSanté confirmera votre rattachement à ce poste.",
    )


@requires("schemes.edit")
def claim_list(request):
    return render(request, "coordinators/claims.html", {"claims": selectors.claims_pending()})


@require_POST
@requires("schemes.edit")
def claim_review(request, pk):
    claim = get_object_or_404(PostClaim, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.post_claim_review(claim=claim, reviewer=request.user, accept=accept)
    except services.RegisterError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Demande confirmée : l'arrivée est enregistrée." if accept else "Demande refusée.",
        )
    return redirect("claims")


@requires("schemes.view")
def handover(request, pk):
    """The post's handover file: read by staff, the territory's partners and its authors."""
    post = get_object_or_404(Post, pk=pk)
    today = date.today()
    authors = selectors.handover_author_ids(post, today)
    department = selectors.post_department_code(post)
    access = request.access
    if not access.can_read_handover(department_code=department, author_ids=authors):
        raise Http404("Dossier introuvable")  # its existence is not revealed either
    handover_file = selectors.handover_file_of(post)
    can_edit = access.can_edit_handover(author_ids=authors)
    editing = can_edit and (request.method == "POST" or "modifier" in request.GET)
    form = HandoverForm(request.POST or None, instance=handover_file) if editing else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.handover_update(
                    handover=handover_file, author=request.user, data=form.cleaned_data
                )
            except services.RegisterError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "Dossier de passation enregistré. Merci pour la personne qui suivra !"
                )
                return redirect("handover", pk=post.pk)
    sections = [(label, getattr(handover_file, name)) for name, label in HandoverFile.SECTIONS]
    return render(
        request,
        "coordinators/handover.html",
        {
            "post": post,
            "post_label": selectors.post_label(post, today),
            "handover": handover_file,
            "form": form,
            "can_edit": can_edit,
            "sections": sections,
            "schemes": post.schemes.all(),
        },
    )
