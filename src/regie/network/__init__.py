"""Netwerkanalyse."""
