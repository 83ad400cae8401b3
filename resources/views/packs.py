"""Packs for elected officials and managers, shared by a link."""

urlpatterns = []
