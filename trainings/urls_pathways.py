from django.urls import path

from . import views_pathways as views

urlpatterns = [
    path("", views.pathway_list, name="pathways"),
    path("nouveau/", views.pathway_edit, name="pathway_create"),
    path("validations/", views.prior_learning_requests, name="prior_learning_requests"),
    path("validations/<int:pk>/", views.prior_learning_review, name="prior_learning_review"),
    path("<int:pk>/", views.pathway_detail, name="pathway"),
    path("<int:pk>/modifier/", views.pathway_edit, name="pathway_edit"),
    path("<int:pk>/rejoindre/", views.pathway_join, name="pathway_join"),
    path("<int:pk>/quitter/", views.pathway_leave, name="pathway_leave"),
    path("<int:pathway_pk>/etapes/nouvelle/", views.step_edit, name="step_create"),
    path("<int:pk>/etapes/ordre/", views.steps_reorder, name="steps_reorder"),
    path("etapes/<int:pk>/modifier/", views.step_edit, name="step_edit"),
    path("etapes/<int:pk>/retirer/", views.step_retire, name="step_retire"),
    path("etapes/<int:pk>/declarer/", views.step_declare, name="step_declare"),
    path(
        "etapes/<int:pk>/valider-acquis/",
        views.prior_learning_request,
        name="prior_learning_request",
    ),
]
