from django.urls import path

from .views import attendance, events, registrations

urlpatterns = [
    path("", events.agenda, name="agenda"),
    path("mois/", events.agenda_month, name="agenda_month"),
    path("nouveau/", events.event_edit, name="event_create"),
    path("<int:pk>/", events.event_detail, name="event"),
    path("<int:pk>/modifier/", events.event_edit, name="event_edit"),
    path("<int:pk>/annuler/", events.event_cancel, name="event_cancel"),
    path("<int:pk>/evenement.ics", events.event_ics_download, name="event_ics"),
    path("<int:pk>/inscription/", events.register, name="event_register"),
    path("<int:pk>/inviter/", events.guest_invite, name="guest_invite"),
    path("<int:pk>/groupe/", events.working_group_series, name="working_group_series"),
    path("inscriptions/<int:pk>/annuler/", events.registration_cancel, name="registration_cancel"),
    path("inscriptions/<int:pk>/confirmer/", events.offer_accept, name="offer_accept"),
    path("inscriptions/<int:pk>/excuse/", events.registration_excuse, name="registration_excuse"),
    path("invitation/<str:token>/", events.guest_register, name="guest_register"),
    path("invitation/<str:token>/evenement.ics", events.guest_event_ics, name="guest_event_ics"),
    path("calendrier/", events.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendrier/<str:token>.ics", events.calendar_feed, name="calendar_feed"),
    # Attendance
    path("<int:pk>/inscrits/", registrations.registrations, name="event_registrations"),
    path("<int:pk>/inscrits/ajouter/", registrations.walk_in, name="event_walk_in"),
    path(
        "<int:pk>/inscrits/export.<str:file_format>",
        registrations.export,
        name="event_registrations_export",
    ),
    path(
        "inscriptions/<int:pk>/gestion/confirmer/",
        registrations.staff_confirm,
        name="registration_staff_confirm",
    ),
    path(
        "inscriptions/<int:pk>/gestion/place/",
        registrations.give_seat,
        name="registration_give_seat",
    ),
    path(
        "inscriptions/<int:pk>/gestion/annuler/",
        registrations.staff_cancel,
        name="registration_staff_cancel",
    ),
    path("<int:pk>/presences/", attendance.check_in, name="attendance_check_in"),
    path("<int:pk>/presences/import/", attendance.import_upload, name="attendance_import"),
    path(
        "<int:pk>/presences/import/verifier/",
        attendance.import_check,
        name="attendance_import_check",
    ),
    path(
        "<int:pk>/presences/import/confirmer/",
        attendance.import_confirm,
        name="attendance_import_confirm",
    ),
    path("inscriptions/<int:pk>/presence/", attendance.mark, name="attendance_mark"),
    path(
        "inscriptions/<int:pk>/attestation/",
        attendance.certificate,
        name="attendance_certificate",
    ),
    path("inscriptions/<int:pk>/avis/", attendance.feedback, name="attendance_feedback"),
]
