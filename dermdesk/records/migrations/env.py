"""Alembic environment for the records database, run only programmatically by `records.schema`.

Why programmatic only: the station migrates its own database at start-up on the connection it already
holds (inside one transaction, under a PostgreSQL advisory lock), so there is no alembic.ini and no
offline mode. SQLite cannot ALTER most things, hence `render_as_batch` there.
"""

from __future__ import annotations

from alembic import context

import dermdesk.records.models  # noqa: F401  (registers every table on the metadata)
from dermdesk.records.base import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "DermDesk migrations run from dermdesk.records.schema with an open connection, not from the "
        "alembic command line"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
