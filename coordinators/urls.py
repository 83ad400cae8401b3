from django.urls import include, path

from .views import imports, lists, people, register, vacancies

imports_patterns = [
    path("", imports.register_import, name="index"),
    path("confirmer/", imports.register_import_confirm, name="confirm"),
    path("export/<slug:kind>.<slug:file_format>", imports.register_export, name="export"),
]

urlpatterns = [
    path("profil/", people.profile, name="profile"),
    path("dispositifs/", register.scheme_list, name="schemes"),
    path("dispositifs/nouveau/", register.scheme_edit, name="scheme_create"),
    path("dispositifs/<int:pk>/", register.scheme_detail, name="scheme"),
    path("dispositifs/<int:pk>/modifier/", register.scheme_edit, name="scheme_edit"),
    path("dispositifs/<int:scheme_pk>/postes/nouveau/", register.post_edit, name="post_create"),
    path("dispositifs/postes/<int:pk>/modifier/", register.post_edit, name="post_edit"),
    path("dispositifs/postes/<int:pk>/arrivee/", register.arrival, name="post_arrival"),
    path("dispositifs/postes/<int:pk>/passation/", register.handover, name="handover"),
    path("dispositifs/postes/<int:pk>/c-est-mon-poste/", register.claim, name="post_claim"),
    path(
        "dispositifs/prises-de-poste/<int:pk>/depart/",
        register.departure,
        name="tenure_departure",
    ),
    path(
        "dispositifs/prises-de-poste/<int:pk>/modifier/", register.tenure_edit, name="tenure_edit"
    ),
    path("dispositifs/rattachements/", register.claim_list, name="claims"),
    path(
        "dispositifs/rattachements/<int:pk>/decision/",
        register.claim_review,
        name="claim_review",
    ),
    path("gestion/registre/", include((imports_patterns, "imports"))),
    *vacancies.urlpatterns,
]

# Under /gestion/, in the "manage" namespace the project assembles.
manage_patterns = [
    path("inscriptions/", people.signup_list, name="signups"),
    path("inscriptions/<int:pk>/decision/", people.signup_review, name="signup_review"),
    path("listes/<slug:kind>/", lists.list_edit, name="lists"),
]
