"""Marts: analyst-facing views and exports built on the published tables."""
