"""The URL map of the SPEC (French, stable: bookmarks and e-mails point here). Each app owns its
routes; the project mounts them and assembles the staff back-office under /gestion/."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import urls as account_urls
from coordinators import urls as coordinator_urls
from core.transactions import atomic_writes_everywhere
from network import urls as network_urls
from promosante import views

admin.site.site_header = "Réseau des coordinateurs IdF — administration"
admin.site.site_title = "Administration"
# The admin logs in through allauth: rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

manage_patterns = [
    path("", views.manage_index, name="index"),
    *account_urls.manage_patterns,
    *coordinator_urls.manage_patterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico by themselves, whatever the page declares.
    path("favicon.ico", views.favicon, name="favicon"),
    path("mentions-legales/", views.legal_page, {"page": "mentions"}, name="legal_notice"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="accessibility"),
    path("donnees-personnelles/", views.legal_page, {"page": "donnees"}, name="privacy"),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("notifications.urls")),
    path("gestion/", include((manage_patterns, "manage"))),
    path("", include("coordinators.urls")),
    path("tableau-de-bord/", include("dashboards.urls")),
    path("agenda/", include("agenda.urls")),
    path("parcours/offres/competences/", include("competencies.urls")),
    path("parcours/", include("learning.urls")),
    path("ressources/", include("resources.urls")),
    path("annuaire/", include(network_urls.directory_urls)),
    path("entraide/", include(network_urls.mutual_help_urls)),
    path("actualites/", include(network_urls.news_urls)),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("500/", TemplateView.as_view(template_name="500.html"))]

# Requests that may write run in one transaction; reads in none (core/transactions.py).
atomic_writes_everywhere(urlpatterns)
