"""Packs for elected officials and managers (/ressources/packs/), shared by a link that needs no
account (/ressources/partage/<token>/).

The team assembles packs; coordinators (and the team) share a published pack by a link, see how
often each link was opened and revoke it. The shared page is public: the secret token in its
address is the credential, checked by `selectors.packs.link_by_token` and `link_state`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.pages import form_page
from core.permissions import requires

from .. import files
from ..forms.packs import PackForm, PackItemForm, PackLinkForm
from ..models.packs import Pack
from ..selectors import packs as selectors
from ..services import packs as services

SHARE, EDIT = "packs.share", "packs.edit"
PAGE_SIZE = 30


@requires(SHARE)
@require_safe
def pack_list(request):
    can_edit = request.access.can(EDIT)
    packs = selectors.packs_list(with_drafts=can_edit)
    page = Paginator(packs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "resources/packs/list.html", {"page": page, "query": "", "can_edit": can_edit}
    )


def _pack_or_404(request, pk):
    pack = selectors.pack_page(pk, with_drafts=request.access.can(EDIT))
    if pack is None:
        raise Http404("Pack introuvable")
    return pack


def _pack_page(request, pack, *, item_form=None, status=200):
    can_edit = request.access.can(EDIT)
    if can_edit and item_form is None:
        item_form = PackItemForm(resources=selectors.resources_to_add(pack))
    return render(
        request,
        "resources/packs/detail.html",
        {"pack": pack, "can_edit": can_edit, "item_form": item_form},
        status=status,
    )


@requires(SHARE)
@require_safe
def pack_detail(request, pk):
    return _pack_page(request, _pack_or_404(request, pk))


@requires(EDIT)
def pack_edit(request, pk=None):
    pack = _pack_or_404(request, pk) if pk else Pack(created_by=request.user)
    form = PackForm(request.POST or None, instance=pack)
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.pack_save(pack=form.save(commit=False))
        except services.PackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Le pack « {pack} » est enregistré."
                if pk
                else f"Le pack « {pack} » est créé en brouillon : ajoutez-y ses ressources, "
                "puis publiez-le.",
            )
            return redirect("pack", pk=pack.pk)
    return form_page(
        request,
        form,
        title=f"Modifier le pack « {pack} »" if pk else "Nouveau pack",
        back_url=reverse("pack", args=[pk]) if pk else reverse("packs"),
        intro=""
        if pk
        else "Un pack rassemble quelques ressources publiques pour des élu·es ou des "
        "responsables : ce qu’est un CLS ou un CLSM, ce que fait un·e coordinateur·rice. "
        "Les coordinateur·rices le partagent par un lien, souvent après la journée d’accueil.",
    )


@require_POST
@requires(EDIT)
def pack_item_add(request, pk):
    pack = _pack_or_404(request, pk)
    form = PackItemForm(request.POST, resources=selectors.resources_to_add(pack))
    if form.is_valid():
        resource = form.cleaned_data["resource"]
        try:
            services.pack_item_add(pack=pack, resource=resource, note=form.cleaned_data["note"])
        except services.PackError as error:
            form.add_error("resource", str(error))
        else:
            messages.success(request, f"« {resource} » est ajoutée au pack.")
            return redirect(reverse("pack", args=[pack.pk]) + "#ressources")
    return _pack_page(request, pack, item_form=form)


def _item_or_404(pack, item_pk):
    item = selectors.item_of(pack, item_pk)
    if item is None:
        raise Http404("Ressource absente de ce pack")
    return item


@require_POST
@requires(EDIT)
def pack_item_remove(request, pk, item_pk):
    pack = _pack_or_404(request, pk)
    item = _item_or_404(pack, item_pk)
    try:
        services.pack_item_remove(item=item)
    except services.PackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"« {item.resource} » est retirée du pack.")
    return redirect(reverse("pack", args=[pack.pk]) + "#ressources")


@require_POST
@requires(EDIT)
def pack_item_move(request, pk, item_pk):
    pack = _pack_or_404(request, pk)
    item = _item_or_404(pack, item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choisissez de monter ou de descendre la ressource.")
    else:
        services.pack_item_move(item=item, up=direction == "up")
    return redirect(reverse("pack", args=[pack.pk]) + f"#element-{item.pk}")


@requires(SHARE)
def pack_share(request, pk):
    """A coordinator (or the team) creates a link to a published pack."""
    pack = selectors.pack_page(pk, with_drafts=False)
    if pack is None:
        raise Http404("Pack introuvable ou pas encore publié")
    initial = {"label": request.GET.get("pour", "")[:200]}
    form = PackLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.pack_link_create(
                pack=pack,
                person=request.user,
                label=form.cleaned_data["label"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except services.PackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Le lien pour « {link.label} » est créé : copiez-le ci-dessous et transmettez-le.",
            )
            return redirect(reverse("pack_links") + f"#lien-{link.pk}")
    return form_page(
        request,
        form,
        title=f"Partager le pack « {pack} »",
        back_url=reverse("pack", args=[pack.pk]),
        submit="Créer le lien",
        intro="Le lien ouvre le pack sans compte, jusqu’à la date choisie ou jusqu’à ce que vous "
        "le révoquiez. Vous verrez combien de fois il a été ouvert. La page partagée dit que "
        "c’est vous qui l’avez transmis (votre nom, pas votre adresse e-mail).",
        aside="resources/packs/_welcome_day.html",
        welcome_day=selectors.welcome_day_to_follow(request.user),
        pack=pack,
    )


@requires(SHARE)
@require_safe
def pack_links(request):
    """Mes liens de partage: each link's address to copy, its state and how often it opened."""
    page = Paginator(selectors.links_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for link in page:
        link.state = selectors.link_state(link)
        link.url = settings.SITE_URL + reverse("shared_pack", args=[link.token])
    return render(request, "resources/packs/links.html", {"page": page, "query": ""})


@requires(SHARE)
def pack_link_revoke(request, pk):
    """Asks first (a page), then revokes on POST: the link no longer opens anything."""
    link = selectors.link_of(request.user, pk)
    if link is None:
        raise Http404("Lien introuvable")
    if request.method == "POST":
        try:
            services.pack_link_revoke(link=link, person=request.user)
        except services.PackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Le lien pour « {link.label} » est révoqué.")
        return redirect(reverse("pack_links") + f"#lien-{link.pk}")
    return render(request, "resources/packs/revoke.html", {"link": link})


# --- The shared page, without an account ---------------------------------------------------------


def _public(response):
    """Kept out of search engines and caches; the token never leaves in a Referer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _usable_link_or_gone(request, token):
    """(link, None) for a link that works; (None, response) otherwise: 404 for an unknown
    token, 410 with the page that says whom to ask for a revoked or expired one."""
    link = selectors.link_by_token(token)
    if link is None:
        raise Http404("Lien inconnu")
    state = selectors.link_state(link)
    if state == "active":
        return link, None
    response = render(
        request,
        "resources/packs/shared_gone.html",
        {"link": link, "state": state, "sharer": link.created_by.get_full_name()},
        status=410,
    )
    return None, _public(response)


@login_not_required
@never_cache
@require_safe
def shared_pack(request, token):
    """The pack a link shares: public, the token is the credential. Each view counts as an
    opening (the sharer's own views and HEAD requests excepted); its documents are opened from
    here."""
    link, gone = _usable_link_or_gone(request, token)
    if gone is not None:
        return gone
    if request.method == "GET" and request.user.pk != link.created_by_id:
        services.pack_link_opened(link=link)  # a HEAD (a link checker) is no reading
    response = render(
        request,
        "resources/packs/shared.html",
        {
            "link": link,
            "pack": link.pack,
            "items": selectors.shared_items(link),
            "sharer": link.created_by.get_full_name(),
        },
    )
    return _public(response)


@login_not_required
@never_cache
@require_safe
def shared_resource(request, token, resource_pk):
    """A document of a shared pack, while the link works and the resource is still public and
    published. Not counted: the page it is opened from was."""
    link, gone = _usable_link_or_gone(request, token)
    if gone is not None:
        return gone
    resource = selectors.shared_resource(link, resource_pk)
    response = files.content_response(resource) if resource is not None else None
    if response is None:
        raise Http404("Ce document n’est pas (ou plus) dans ce pack.")
    return _public(response)


urlpatterns = [
    path("packs/", pack_list, name="packs"),
    path("packs/nouveau/", pack_edit, name="pack_create"),
    path("packs/liens/", pack_links, name="pack_links"),
    path("packs/liens/<int:pk>/revoquer/", pack_link_revoke, name="pack_link_revoke"),
    path("packs/<int:pk>/", pack_detail, name="pack"),
    path("packs/<int:pk>/modifier/", pack_edit, name="pack_edit"),
    path("packs/<int:pk>/partager/", pack_share, name="pack_share"),
    path("packs/<int:pk>/ressources/", pack_item_add, name="pack_item_add"),
    path(
        "packs/<int:pk>/ressources/<int:item_pk>/retirer/",
        pack_item_remove,
        name="pack_item_remove",
    ),
    path(
        "packs/<int:pk>/ressources/<int:item_pk>/deplacer/", pack_item_move, name="pack_item_move"
    ),
    path("partage/<str:token>/", shared_pack, name="shared_pack"),
    path("partage/<str:token>/<int:resource_pk>/", shared_resource, name="shared_resource"),
]
