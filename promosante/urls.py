from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from accounts import views as account_views
from promosante import views

admin.site.site_header = "Réseau des coordinateurs IdF — administration"
admin.site.site_title = "Administration"
# The admin logs in through allauth: rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_page, {"page": "mentions"}, name="legal_notice"),
    path("accessibilite/", views.legal_page, {"page": "accessibilite"}, name="accessibility"),
    path(
        "donnees-personnelles/",
        views.legal_page,
        {"page": "donnees"},
        name="privacy",
    ),
    path(
        "accounts/invitation/<str:token>/",
        account_views.invitation_accept,
        name="invitation_accept",
    ),
    path("accounts/en-attente/", account_views.pending, name="account_pending"),
    path("accounts/", include("allauth.urls")),
    path("profil/", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("gestion/registre/", include("coordinators.urls_import")),
    path("gestion/", include("accounts.urls_manage")),
    path("gestion/", include("notifications.urls_manage")),
    path("dispositifs/", include("coordinators.urls")),
    path("agenda/", include("trainings.urls")),
    path("parcours/offres/", include("trainings.urls_offers")),
    path("parcours/auto-evaluation/", include("trainings.urls_assessment")),
    path("parcours/", include("trainings.urls_pathways")),
    path("ressources/", include("resources.urls")),
    path("tableau-de-bord/", include("coordinators.urls_dashboard")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("500/", TemplateView.as_view(template_name="500.html"))]
