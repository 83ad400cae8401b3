"""Requests for resources distributed on request (the Boussole)."""

urlpatterns = []
