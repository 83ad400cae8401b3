from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("mois/", views.agenda_month, name="agenda_month"),
    path("nouveau/", views.event_edit, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/modifier/", views.event_edit, name="event_edit"),
    path("<int:pk>/annuler/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/evenement.ics", views.event_ics_download, name="event_ics"),
    path("<int:pk>/inscription/", views.register, name="event_register"),
    path("<int:pk>/inviter/", views.guest_invite, name="guest_invite"),
    path("<int:pk>/groupe/", views.working_group_series, name="working_group_series"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("inscriptions/<int:pk>/confirmer/", views.offer_accept, name="offer_accept"),
    path("inscriptions/<int:pk>/excuse/", views.registration_excuse, name="registration_excuse"),
    path("invitation/<str:token>/", views.guest_register, name="guest_register"),
    path("calendrier/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("", include("trainings.urls_attendance")),
]
