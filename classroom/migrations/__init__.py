"""Alembic migrations of the class-session tables."""
