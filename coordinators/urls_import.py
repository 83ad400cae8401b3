from django.urls import path

from . import views_import

app_name = "imports"

urlpatterns = [
    path("", views_import.register_import, name="index"),
    path("confirmer/", views_import.register_import_confirm, name="confirm"),
    path(
        "export/<slug:kind>.<slug:file_format>",
        views_import.register_export,
        name="export",
    ),
]
