from django.urls import path

from . import views_register as views

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("nouveau/", views.scheme_edit, name="scheme_create"),
    path("<int:pk>/", views.scheme_detail, name="scheme"),
    path("<int:pk>/modifier/", views.scheme_edit, name="scheme_edit"),
    path("<int:scheme_pk>/postes/nouveau/", views.post_edit, name="post_create"),
    path("postes/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path("postes/<int:pk>/arrivee/", views.arrival, name="post_arrival"),
    path("postes/<int:pk>/passation/", views.handover, name="handover"),
    path("postes/<int:pk>/c-est-mon-poste/", views.claim, name="post_claim"),
    path("prises-de-poste/<int:pk>/depart/", views.departure, name="tenure_departure"),
    path("prises-de-poste/<int:pk>/modifier/", views.tenure_edit, name="tenure_edit"),
    path("rattachements/", views.claim_list, name="claims"),
    path("rattachements/<int:pk>/decision/", views.claim_review, name="claim_review"),
]
