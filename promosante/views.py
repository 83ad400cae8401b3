from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static

from accounts import selectors as account_selectors
from accounts.access import Role
from agenda.selectors import next_events
from competencies.models import Competency
from coordinators import selectors as register
from coordinators.selectors import network_figures, person_posts
from core.permissions import requires
from learning import progress
from learning.selectors import competencies_to_strengthen
from network.selectors import suggestions
from network.selectors.news import news_for_space
from network.services import directory_sync
from resources.selectors import requests as request_selectors


@login_not_required
def home(request):
    """Public presentation for visitors; "Mon espace" once logged in."""
    access = request.access
    if not access.can("space.view"):
        return render(request, "home_public.html", {"figures": network_figures()})
    context = {"is_coordinator": access.role == Role.COORDINATOR}
    context["next_events"] = next_events(request.user)
    context["news"] = news_for_space(access)
    if context["is_coordinator"]:
        context["coordinator"] = request.user.coordinator_profile
        context["posts"] = person_posts(request.user, date.today())
        context["pathway_rows"] = progress.progress_rows(request.user)
        context["recommendation"] = progress.recommendation(request.user)
        context["assessment"] = progress.latest_assessment(request.user)
        context["to_strengthen"] = competencies_to_strengthen(
            request.user, assessment=context["assessment"]
        )
        context["assessment_due"] = progress.assessment_due(request.user)
        context["level_labels"] = Competency.LEVELS
        today = date.today()
        directory_sync(today=today)  # suggestions read the directory: never staler than the page
        context["seeker"] = suggestions.seeker_of(request.user, today)
        context["suggestions"] = suggestions.suggested_peers(access, context["seeker"])
    return render(request, "home_space.html", context)


LEGAL_PAGES = {
    "mentions": "legal/mentions.html",
    "accessibilite": "legal/accessibility.html",
    "donnees": "legal/privacy.html",
}


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico by themselves. The address is computed at the request, not
    when the URL map loads: before `collectstatic` the hashed name is not known yet."""
    return redirect(static("img/favicon.svg"))


@login_not_required
def legal_page(request, page):
    if page not in LEGAL_PAGES:
        raise Http404
    return render(request, LEGAL_PAGES[page])


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


@requires("manage.view")
def manage_index(request):
    """The staff back-office: what waits for them, across the apps."""
    return render(
        request,
        "manage/index.html",
        {
            "counts": {
                **account_selectors.account_counts(),
                **register.coordinator_account_counts(),
                # Coordinators in post, as everywhere else (not approved accounts).
                "coordinators": register.coordinators_in_post_count(),
            },
            "pending": register.signups_pending()[:5],
            "requests": request_selectors.staff_summary(),
            "invitation_days": settings.INVITATION_VALIDITY_DAYS,
        },
    )
