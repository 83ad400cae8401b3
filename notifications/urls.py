"""A person's e-mail preferences, the unsubscribe link of the e-mails, and the staff pages under
/gestion/: the outbox, reminder rules and onboarding sequences."""

from django.urls import include, path

from . import views

manage_patterns = [
    path("envois/", views.outbox, name="outbox"),
    path("envois/<int:pk>/", views.delivery_detail, name="delivery"),
    path("envois/<int:pk>/html/", views.delivery_html, name="delivery_html"),
    path("envois/<int:pk>/renvoyer/", views.delivery_resend, name="delivery_resend"),
    path("envois/personne/<int:user_id>/", views.person_timeline, name="person"),
    path("rappels/", views.rule_list, name="rules"),
    path("rappels/<int:pk>/", views.rule_action, name="rule_action"),
    path("sequences/", views.sequence_list, name="sequences"),
    path("sequences/nouvelle/", views.sequence_edit, name="sequence_create"),
    path("sequences/<int:pk>/", views.sequence_detail, name="sequence"),
    path("sequences/<int:pk>/modifier/", views.sequence_edit, name="sequence_edit"),
    path("sequences/<int:sequence_pk>/etapes/nouvelle/", views.step_edit, name="step_create"),
    path("sequences/etapes/<int:pk>/", views.step_edit, name="step_edit"),
    path("sequences/etapes/<int:pk>/activation/", views.step_toggle, name="step_toggle"),
]

urlpatterns = [
    path("profil/notifications/", views.preferences_edit, name="notification_preferences"),
    path("profil/e-mails/", views.own_emails, name="own_emails"),
    path("profil/e-mails/<int:pk>/", views.own_email, name="own_email"),
    path("notifications/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("gestion/", include((manage_patterns, "notifications"))),
]
