"""Rapportages."""
