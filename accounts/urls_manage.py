from django.urls import path

from coordinators import views_lists

from . import views

app_name = "manage"

urlpatterns = [
    path("", views.manage_index, name="index"),
    path("invitations/", views.invitation_list, name="invitations"),
    path(
        "invitations/<int:pk>/renvoyer/",
        views.invitation_action,
        {"action": "resend"},
        name="invitation_resend",
    ),
    path(
        "invitations/<int:pk>/annuler/",
        views.invitation_action,
        {"action": "revoke"},
        name="invitation_revoke",
    ),
    path("inscriptions/", views.signup_list, name="signups"),
    path("inscriptions/<int:pk>/decision/", views.signup_review, name="signup_review"),
    path("listes/<slug:kind>/", views_lists.list_edit, name="lists"),
]
