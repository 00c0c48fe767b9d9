"""Raw SQL helpers for ticket ingestion, portable between SQLite and PostgreSQL.

Ingestion writes thousands of rows per call; prepared tuples and `executemany` keep it
at a fixed number of statements per batch (see "Hot paths" in ARCHITECTURE.md).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import JSONField

# Values per IN (...) list, well under SQLite's limit of 32,766 parameters.
CHUNK = 2000

_JSON = JSONField()


def db_time(value: dt.datetime | None) -> Any:
    """A datetime as the database driver expects it."""
    if value is None:
        return None
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def db_json(value: Any) -> Any:
    """A value for a JSON column (text on SQLite, jsonb on PostgreSQL)."""
    return _JSON.get_db_prep_save(value, connection)


class Db:
    """Value adapters of the current connection, looked up once per batch (the connection
    proxy costs a lookup on every attribute access)."""

    def __init__(self) -> None:
        ops = connection.ops
        self.time = ops.adapt_datetimefield_value
        self.date = ops.adapt_datefield_value
        self._json = ops.adapt_json_value
        self._text_json = connection.vendor == "sqlite"

    def json(self, value: Any) -> Any:
        return self._json(value, None)

    def json_text(self, text: str, value: Any) -> Any:
        """A JSON value whose text is already made (SQLite stores the text as it is)."""
        return text if self._text_json else self._json(value, None)


def insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def execute_many(statement: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)


def execute(statement: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def select(statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def chunks(values: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def marks(n: int) -> str:
    return ", ".join(["%s"] * n)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one batch is checked and written.

    A batch builds hundreds of thousands of objects (checked lines, specs, rows) that all
    live until it ends, so the collector would walk the whole heap several times per
    batch and free nothing: about a quarter of ingestion's CPU time. Reference counting
    still frees every object as usual; only cycles wait until the batch is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
