"""The library's routes (/ressources/), gathered from each part's view module."""

from .views import library, packs, requests

urlpatterns = [*library.urlpatterns, *requests.urlpatterns, *packs.urlpatterns]
