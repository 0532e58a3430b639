"""Regie: information system for the integral approach of ondermijning."""

__version__ = "0.1.0"
