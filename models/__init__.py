"""Tidtam's data layer: the ORM models, the fiscal calendar, the plan catalog and database access.

This is the bottom layer: it imports nothing from ``conversations``, ``bot`` or ``api``. The package itself
imports nothing either, so that the pure parts (``models.enums``, ``models.fiscal``, ``models.clock``) can be
used without loading the ORM; import a model from its own module (``from models.org import User``).
"""
