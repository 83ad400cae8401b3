"""The peer network's parts: the directory (/annuaire/: list, map, contact), mutual help
(/entraide/: tutoring, experience notes, questions) and the news board
(/actualites/). Each view module lists its own routes."""

from .views import contact, directory, map, mutual, news, notes, questions, tutoring

directory_urls = [*directory.urlpatterns, *map.urlpatterns, *contact.urlpatterns]
mutual_help_urls = [
    *mutual.urlpatterns,
    *tutoring.urlpatterns,
    *notes.urlpatterns,
    *questions.urlpatterns,
]
news_urls = news.urlpatterns
