"""Schema migrations for the ``models`` app, managed by tortoise-orm's built-in migration system."""
