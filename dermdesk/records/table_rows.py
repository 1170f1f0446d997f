"""Every row of every records table as plain data, and back: the portable form of a backup.

Why through the ORM's table definitions rather than a database dump tool: the same code reads a
SQLite snapshot and a PostgreSQL server and writes either, so a backup made on one can be restored on
the other, and the clinic needs no `pg_dump` matching its server's version.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, func, insert, select, text
from sqlalchemy.orm import Session

from dermdesk.i18n import _
from dermdesk.records.base import Base, UTCDateTime

Rows = dict[str, list[dict[str, Any]]]


def tables() -> list[Table]:
    """Records tables in dependency order (a table after those it refers to)."""
    import dermdesk.records.models  # noqa: F401  (registers the tables)

    return list(Base.metadata.sorted_tables)


def read_rows(connection: Connection | Session) -> Rows:
    """All rows of all tables, ordered by primary key, as Python values."""
    out: Rows = {}
    for table in tables():
        query = select(table).order_by(*table.primary_key.columns)
        out[table.name] = [dict(row._mapping) for row in connection.execute(query)]
    return out


def count_rows(connection: Connection | Session) -> dict[str, int]:
    return {
        t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables()
    }


def to_json(rows: Rows) -> Rows:
    """Rows with dates and datetimes as ISO text (everything else is already JSON)."""
    return {
        name: [{key: _plain(value) for key, value in row.items()} for row in table_rows]
        for name, table_rows in rows.items()
    }


def from_json(rows: Rows) -> Rows:
    """Rows read from JSON, with date and datetime columns parsed back by the table definitions."""
    by_name = {table.name: table for table in tables()}
    parsed: Rows = {}
    for name, table_rows in rows.items():
        if name not in by_name:
            raise ValueError(_("the backup holds an unknown table {name!r}").format(name=name))
        table = by_name[name]
        parsers = {column.name: _parser(column.type) for column in table.columns}
        parsed[name] = [
            {
                key: parsers[key](value) if value is not None and parsers.get(key) else value
                for key, value in row.items()
            }
            for row in table_rows
        ]
    return parsed


def insert_rows(session: Session, rows: Rows) -> None:
    """Insert every row with its original id, then move PostgreSQL's id sequences past them."""
    for table in tables():
        table_rows = rows.get(table.name, [])
        if table_rows:
            session.execute(insert(table), table_rows)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        for table in tables():
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parser(column_type: Any) -> Any:
    if isinstance(column_type, UTCDateTime | DateTime):
        return datetime.fromisoformat
    if isinstance(column_type, Date):
        return date.fromisoformat
    return None
