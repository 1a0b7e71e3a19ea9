"""Tidtam test suite."""
