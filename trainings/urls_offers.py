from django.urls import path

from . import views_offers as views

urlpatterns = [
    path("", views.offer_list, name="offers"),
    path("nouvelle/", views.offer_edit, name="offer_create"),
    path("complementarite/", views.offers_complementarity_view, name="offers_complementarity"),
    path("<int:pk>/", views.offer_detail, name="offer"),
    path("<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("<int:pk>/retirer/", views.offer_set_active, {"active": False}, name="offer_retire"),
    path("<int:pk>/remettre/", views.offer_set_active, {"active": True}, name="offer_reactivate"),
    path("competences/", views.competency_list, name="competencies"),
    path("competences/domaines/nouveau/", views.domain_edit, name="domain_create"),
    path("competences/domaines/<int:pk>/modifier/", views.domain_edit, name="domain_edit"),
    path("competences/nouvelle/", views.competency_edit, name="competency_create"),
    path("competences/<int:pk>/modifier/", views.competency_edit, name="competency_edit"),
    path(
        "competences/<int:pk>/desactiver/",
        views.competency_set_active,
        {"active": False},
        name="competency_deactivate",
    ),
    path(
        "competences/<int:pk>/reactiver/",
        views.competency_set_active,
        {"active": True},
        name="competency_reactivate",
    ),
]
