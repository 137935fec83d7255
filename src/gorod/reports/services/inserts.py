"""Multi-row INSERT … VALUES statements for bulk loads (services.bulk), built once per table.

The ORM's bulk_create spends most of its time building model instances and compiling SQL; these
statements skip both. Values still go through each field's own database preparation wherever it is not a
plain column — in particular encrypted text (EncryptedTextField.get_prep_value encrypts) and JSON, UUID
and date/time columns — so the stored bytes are what the ORM would have stored. Ids come back from the
database (RETURNING, on SQLite ≥ 3.35 and PostgreSQL), in row order, as Django's own bulk_create relies
on."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import partial

from django.conf import settings
from django.db import connection, models

_PLAIN = {
    models.CharField,
    models.TextField,
    models.SlugField,
    models.EmailField,
    models.FloatField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.BooleanField,
}


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return 999
    return 30_000


def _datetime_adapter() -> Callable:
    """connection.ops.adapt_datetimefield_value, minus its per-call settings look-ups on SQLite (where it
    is make_naive in the connection's time zone, then str). Values here are always timezone-aware."""
    if connection.vendor == "sqlite" and settings.USE_TZ:
        tz = connection.timezone

        def adapt(value):
            return None if value is None else str(value.astimezone(tz).replace(tzinfo=None))

        return adapt
    return connection.ops.adapt_datetimefield_value


class Table:
    """INSERT statements for one model: every concrete column but the auto primary key, each value
    prepared the way the field prepares it for this database. On SQLite the statements go straight to
    the driver ("?" placeholders): Django's cursor would rewrite every long statement with a regex."""

    def __init__(self, model: type[models.Model]):
        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        datetime = _datetime_adapter()
        self.fields = fields
        self.names = [f.attname for f in fields]
        self.converters: list[tuple[int, Callable]] = []
        for i, f in enumerate(fields):
            kind = type(f)
            convert: Callable | None
            if kind is models.DateTimeField:
                convert = datetime
            elif kind is models.DateField:
                convert = connection.ops.adapt_datefield_value
            elif kind in _PLAIN or isinstance(f, models.ForeignKey):
                convert = None  # the Python value is the column value (ids for foreign keys)
            else:  # encrypted text, JSON, UUID, anything custom: the field's own preparation
                convert = partial(f.get_db_prep_save, connection=connection)
            if convert is not None:
                self.converters.append((i, convert))
        self.raw = connection.vendor == "sqlite"
        mark = "?" if self.raw else "%s"
        columns = ", ".join(qn(str(f.column)) for f in fields)
        self.head = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 (model names)
        self.one = "(" + ", ".join([mark] * len(fields)) + ")"
        self.returning = f" RETURNING {qn(str(model._meta.pk.column))}"
        self.per_statement = max(1, _max_params() // len(fields))

    def values(self, data: dict) -> list:
        try:
            out = [data[name] for name in self.names]
        except KeyError:  # a column this loader does not know about (added later): its model default
            out = [
                data[n] if n in data else f.get_default()
                for n, f in zip(self.names, self.fields, strict=True)
            ]
        for i, convert in self.converters:
            out[i] = convert(out[i])
        return out

    def shaper(self, keys: tuple[str, ...]) -> Callable[[Sequence], list]:
        """A faster `values` for rows given as sequences in `keys` order (no dict per row)."""
        if not set(self.names) <= set(keys):
            return lambda row: self.values(dict(zip(keys, row, strict=True)))
        index = [keys.index(name) for name in self.names]
        converters = self.converters

        def shape(row: Sequence) -> list:
            out = [row[i] for i in index]
            for i, convert in converters:
                out[i] = convert(out[i])
            return out

        return shape

    def insert(self, cursor, rows: list[list], *, returning: bool = False) -> list[int]:
        ids: list[int] = []
        if self.raw:
            cursor = connection.connection.cursor()  # the driver's own, in the same transaction
        for start in range(0, len(rows), self.per_statement):
            chunk = rows[start : start + self.per_statement]
            sql = self.head + ", ".join([self.one] * len(chunk)) + (self.returning if returning else "")
            cursor.execute(sql, [v for row in chunk for v in row])
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
        return ids
