"""The peer network's two halves: the directory (/annuaire/: list, map, contact) and mutual help
(/entraide/: tutoring, experience notes, questions). Each view module lists its own routes."""

from .views import contact, directory, map, mutual, notes, questions, tutoring

directory_urls = [*directory.urlpatterns, *map.urlpatterns, *contact.urlpatterns]
mutual_help_urls = [
    *mutual.urlpatterns,
    *tutoring.urlpatterns,
    *notes.urlpatterns,
    *questions.urlpatterns,
]
