"""Attendance pages, included by `trainings.urls` under /agenda/."""

from django.urls import path

from . import views_attendance as views

urlpatterns = [
    path("<int:pk>/presences/", views.check_in, name="attendance_check_in"),
    path("<int:pk>/presences/import/", views.import_upload, name="attendance_import"),
    path("<int:pk>/presences/import/verifier/", views.import_check, name="attendance_import_check"),
    path(
        "<int:pk>/presences/import/confirmer/",
        views.import_confirm,
        name="attendance_import_confirm",
    ),
    path("inscriptions/<int:pk>/presence/", views.mark, name="attendance_mark"),
    path("inscriptions/<int:pk>/attestation/", views.certificate, name="attendance_certificate"),
    path("inscriptions/<int:pk>/avis/", views.feedback, name="attendance_feedback"),
]
