"""Plannen en doelen."""
