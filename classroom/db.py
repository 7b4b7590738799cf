"""The database: which one, how to open it, and bringing its tables up to date.

``DATABASE_URL`` names it (``postgresql://user:pass@host/db`` when several app
copies serve one class, docs/deploy.md); without it, an SQLite file
``.data/class.sqlite3`` in the project folder, so ``make run`` needs nothing
more. ``CLASS_DB`` names another SQLite file. Tables are created and upgraded
by the Alembic migrations in ``migrations/`` the first time a process opens a
database (two copies starting together take turns on PostgreSQL).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

HERE = Path(__file__).resolve().parent
DEFAULT_FILE = HERE.parent / ".data" / "class.sqlite3"

_engines: dict[str, Engine] = {}
_makers: dict[str, sessionmaker] = {}
_lock = threading.Lock()


def database_url() -> str:
    """The database to use: ``DATABASE_URL``, else the SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return normalise(url)
    path = Path(os.environ.get("CLASS_DB", "") or DEFAULT_FILE)
    return f"sqlite:///{path}"


def normalise(url: str) -> str:
    """``postgres://`` and ``postgresql://`` mean the psycopg driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def describe(url: str) -> str:
    """The database in words, without its password."""
    if url.startswith("sqlite"):
        return f"SQLite file {url.split(':///', 1)[-1]}"
    host = url.split("@", 1)[-1]
    return f"PostgreSQL at {host}"


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # deleting a session deletes its rows
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _open(url: str) -> Engine:
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[-1]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_settings)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    return engine


def migrate(engine: Engine) -> None:
    """Create or upgrade the tables to the newest migration."""
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def engine_for(url: str | None = None) -> Engine:
    """The engine of a database (opened and migrated once per process)."""
    url = normalise(url) if url else database_url()
    with _lock:
        if url not in _engines:
            engine = _open(url)
            migrate(engine)
            _engines[url] = engine
            _makers[url] = sessionmaker(engine, expire_on_commit=False)
        return _engines[url]


def session(url: str | None = None) -> Session:
    """A database session, used as a context manager with its ``begin()``."""
    url = normalise(url) if url else database_url()
    engine_for(url)
    return _makers[url]()


def forget(url: str | None = None) -> None:
    """Close a database's connections (tests, and the command line when done)."""
    url = normalise(url) if url else database_url()
    with _lock:
        engine = _engines.pop(url, None)
        _makers.pop(url, None)
    if engine is not None:
        engine.dispose()
