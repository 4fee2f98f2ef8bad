"""Alembic migrations shipped inside the package, run by core.records.migrate."""
