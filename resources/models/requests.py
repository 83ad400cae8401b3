"""Requests for a resource distributed on request (the Boussole): printed copies or the file."""
