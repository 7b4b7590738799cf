"""Alembic's entry point: migrate the database named by the caller.

:func:`classroom.db.migrate` passes an open connection (``config.attributes``);
from the ``alembic`` command, ``-x url=...`` names the database.
"""

from alembic import context
from sqlalchemy import create_engine, text

from classroom.models import Base

config = context.config
# Any number fits; it names the lock two app copies take before migrating one database.
ADVISORY_LOCK = 7_071_972


def _run(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"))
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True)["url"]
    with create_engine(url).begin() as opened:
        _run(opened)
