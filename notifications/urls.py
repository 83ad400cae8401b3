"""Pages of every member: e-mail preferences, and the unsubscribe link of the e-mails."""

from django.urls import path

from . import views

urlpatterns = [
    path("profil/notifications/", views.preferences_edit, name="notification_preferences"),
    path("notifications/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
