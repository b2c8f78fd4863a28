"""Persistence: SQLite through SQLAlchemy, schema through Alembic, photo files on disk."""
