from django.urls import path

from . import views

urlpatterns = [
    path("", views.competency_list, name="competencies"),
    path("domaines/nouveau/", views.domain_edit, name="domain_create"),
    path("domaines/<int:pk>/modifier/", views.domain_edit, name="domain_edit"),
    path("nouvelle/", views.competency_edit, name="competency_create"),
    path("<int:pk>/modifier/", views.competency_edit, name="competency_edit"),
    path(
        "<int:pk>/desactiver/",
        views.competency_set_active,
        {"active": False},
        name="competency_deactivate",
    ),
    path(
        "<int:pk>/reactiver/",
        views.competency_set_active,
        {"active": True},
        name="competency_reactivate",
    ),
]
