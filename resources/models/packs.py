"""Packs for elected officials and managers, and the links that share them without an account."""
