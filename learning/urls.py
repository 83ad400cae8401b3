from django.urls import path

from .views import assessment, offers, pathways

urlpatterns = [
    # The catalogue
    path("offres/", offers.offer_list, name="offers"),
    path("offres/nouvelle/", offers.offer_edit, name="offer_create"),
    path(
        "offres/complementarite/",
        offers.offers_complementarity_view,
        name="offers_complementarity",
    ),
    path("offres/<int:pk>/", offers.offer_detail, name="offer"),
    path("offres/<int:pk>/modifier/", offers.offer_edit, name="offer_edit"),
    path(
        "offres/<int:pk>/retirer/", offers.offer_set_active, {"active": False}, name="offer_retire"
    ),
    path(
        "offres/<int:pk>/remettre/",
        offers.offer_set_active,
        {"active": True},
        name="offer_reactivate",
    ),
    # Self-assessment
    path("auto-evaluation/", assessment.self_assessment, name="self_assessment"),
    path("auto-evaluation/nouvelle/", assessment.self_assessment_new, name="self_assessment_new"),
    path(
        "auto-evaluation/synthese/",
        assessment.self_assessment_aggregates,
        name="self_assessment_aggregates",
    ),
    # Pathways
    path("", pathways.pathway_list, name="pathways"),
    path("nouveau/", pathways.pathway_edit, name="pathway_create"),
    path("validations/", pathways.prior_learning_requests, name="prior_learning_requests"),
    path("validations/<int:pk>/", pathways.prior_learning_review, name="prior_learning_review"),
    path("<int:pk>/", pathways.pathway_detail, name="pathway"),
    path("<int:pk>/modifier/", pathways.pathway_edit, name="pathway_edit"),
    path("<int:pk>/rejoindre/", pathways.pathway_join, name="pathway_join"),
    path("<int:pk>/quitter/", pathways.pathway_leave, name="pathway_leave"),
    path("<int:pathway_pk>/etapes/nouvelle/", pathways.step_edit, name="step_create"),
    path("<int:pk>/etapes/ordre/", pathways.steps_reorder, name="steps_reorder"),
    path("etapes/<int:pk>/modifier/", pathways.step_edit, name="step_edit"),
    path("etapes/<int:pk>/retirer/", pathways.step_retire, name="step_retire"),
    path("etapes/<int:pk>/declarer/", pathways.step_declare, name="step_declare"),
    path(
        "etapes/<int:pk>/valider-acquis/",
        pathways.prior_learning_request,
        name="prior_learning_request",
    ),
]
