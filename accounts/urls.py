from django.urls import path

from . import views

urlpatterns = [
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/en-attente/", views.pending, name="account_pending"),
]

# Under /gestion/, in the "manage" namespace the project assembles.
manage_patterns = [
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
]
