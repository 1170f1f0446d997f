"""Alembic migrations of the records database (a package so that installs ship them)."""
