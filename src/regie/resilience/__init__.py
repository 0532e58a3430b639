"""Weerbare organisatie."""
