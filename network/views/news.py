"""The news board (/actualites/): the board and its filters, a post's page, its form, deleting
it (asked first), "Mes flux" and the Atom feeds read by feed readers with a secret address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from accounts.access import access_for
from core.permissions import requires
from core.templatetags.rich_text import markdown

from ..forms.news import NewsFilterForm, NewsPostForm
from ..models.news import NewsPost
from ..selectors import news as selectors
from ..services import news as services

PAGE_SIZE = 20
CATEGORIES = dict(NewsPost.Category.choices)


@requires("news.view")
@require_safe
def news_list(request):
    access = request.access
    can_publish = selectors.can_publish(access)
    form = NewsFilterForm(
        request.GET or None, is_regional=access.role in selectors.TEAM, can_publish=can_publish
    )
    page = Paginator(selectors.board(access, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/news/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_publish": can_publish,
            "today": timezone.localdate(),
        },
    )


def _post_or_404(request, pk):
    post = selectors.post_page(pk, request.access)
    if post is None:
        raise Http404("Actualité introuvable")
    return post


def _editable_or_refuse(request, pk):
    """The post, if the reader may change it: 404 if they cannot see it, 403 if only read it."""
    post = _post_or_404(request, pk)
    if not selectors.can_edit_post(request.access, post):
        raise PermissionDenied
    return post


@requires("news.view")
@require_safe
def news_detail(request, pk):
    post = _post_or_404(request, pk)
    return render(
        request,
        "network/news/detail.html",
        {
            "post": post,
            "is_expired": post.is_expired(timezone.localdate()),
            "can_edit": selectors.can_edit_post(request.access, post),
        },
    )


@requires("news.publish")
def news_edit(request, pk=None):
    access = request.access
    if pk:
        post = _editable_or_refuse(request, pk)
    elif selectors.can_publish(access):
        post = NewsPost(author=request.user)
    else:  # a partner organisation that does not publish (the ARS head office)
        raise PermissionDenied
    organisations = selectors.publishing_organisations(access)
    is_regional = access.role in selectors.TEAM
    form = NewsPostForm(
        request.POST or None,
        instance=post,
        organisations=organisations,
        departments=selectors.departments_for(access, organisations),
        can_pin=selectors.can_pin(access),
        is_regional=is_regional,
    )
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") != "draft"
        try:
            post = services.news_save(
                post=form.save(commit=False),
                departments=form.cleaned_data["departments"],
                access=access,
                publish=publish,
            )
        except services.NewsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "L’actualité est publiée."
                if publish
                else "L’actualité est enregistrée en brouillon : seule votre structure et "
                "l’équipe la voient.",
            )
            return redirect("news_post", pk=post.pk)
    return render(
        request,
        "network/news/form.html",
        {
            "form": form,
            "post": post if pk else None,
            "title": f"Modifier « {post} »" if pk else "Publier une actualité",
            "back_url": reverse("news_post", args=[pk]) if pk else reverse("news"),
        },
    )


@requires("news.publish")
def news_delete(request, pk):
    post = _editable_or_refuse(request, pk)
    if request.method == "POST":
        services.news_delete(post=post)
        messages.success(request, f"L’actualité « {post.title} » est supprimée.")
        return redirect("news")
    return render(request, "network/news/delete.html", {"post": post})


@requires("news.view")
def news_feeds(request):
    """The person's secret feed addresses; creating new ones kills the old ones."""
    if request.method == "POST":
        existed = selectors.news_feed_of(request.user) is not None
        services.news_feed_renew(user=request.user)
        messages.success(
            request,
            "Nouvelles adresses créées : les anciennes ne fonctionnent plus."
            if existed
            else "Vos adresses sont créées : ajoutez-les à votre lecteur de flux.",
        )
        return redirect("news_feeds")
    feed = selectors.news_feed_of(request.user)
    feeds = []
    if feed is not None:
        feeds.append(("Toutes les actualités", reverse("news_feed", args=[feed.token])))
        feeds += [
            (label, reverse("news_feed_category", args=[feed.token, value]))
            for value, label in NewsPost.Category.choices
        ]
    return render(
        request,
        "network/news/feeds.html",
        {"feeds": [(label, settings.SITE_URL + url) for label, url in feeds]},
    )


class NewsAtomFeed(Feed):
    """A person's news, for their feed reader: what their board shows them (the secret token
    is the credential; a renewed or unknown one is a 404)."""

    feed_type = Atom1Feed

    def get_object(self, request, token, category=None):
        reader = selectors.feed_reader(token)
        if reader is None or (category is not None and category not in CATEGORIES):
            raise Http404("Flux introuvable")
        return access_for(reader), category

    def title(self, obj):
        _access, category = obj
        name = CATEGORIES[category] if category else "Actualités"
        return f"{name} — Réseau des coordinateurs santé Île-de-France"

    def subtitle(self, obj):
        return (
            "Les actualités du réseau qui vous concernent, publiées par PromoSanté et ses "
            "partenaires."
        )

    def link(self, obj):
        _access, category = obj
        url = reverse("news")
        return f"{url}?category={category}" if category else url

    def items(self, obj):
        access, category = obj
        return selectors.feed_posts(access, category)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return str(markdown(item.body))

    def item_link(self, item):
        return reverse("news_post", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.organisation)

    def item_categories(self, item):
        return [item.get_category_display()]


news_atom_feed = login_not_required(NewsAtomFeed())


urlpatterns = [
    path("", news_list, name="news"),
    path("publier/", news_edit, name="news_create"),
    path("<int:pk>/", news_detail, name="news_post"),
    path("<int:pk>/modifier/", news_edit, name="news_edit"),
    path("<int:pk>/supprimer/", news_delete, name="news_delete"),
    path("flux/", news_feeds, name="news_feeds"),
    path("flux/<str:token>/", news_atom_feed, name="news_feed"),
    path("flux/<str:token>/<slug:category>/", news_atom_feed, name="news_feed_category"),
]
