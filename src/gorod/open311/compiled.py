"""Open311 read queries compiled once per shape (docs/decisions.md, "Lean requests").

Building a QuerySet and compiling it to SQL was the largest part of a small Open311 answer beyond the data
work itself: ~1 ms of a filtered list of 100 (the floor answers the whole list in ~2.5 ms). The SQL of such
a query is the same for every request of one *shape* — which filters are present, how many values each
has, the page — and only the values differ. So `rows` builds the query once per shape and process with
stand-in values, compiles it, and remembers where the stand-ins went among the parameters; later requests
put their own values there, prepared for the database by the same field methods the ORM's lookups call, and
run the SQL. Rows come back converted by the backend's and the fields' own converters, as SQLCompiler does
(tests compare them with the ORM's rows).

A stand-in that does not appear exactly once among the parameters (an ORM that writes a value some other
way, a lookup that folds two values into one) means the shape is not kept: the ORM runs that query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.db.models import DateTimeField, Field, FloatField, IntegerField, Model, QuerySet

# Kept shapes per process. The page (offset, size) is part of a shape, since the ORM writes LIMIT and
# OFFSET into the SQL itself; clients use a few page sizes, but a crawler could walk many pages, so the
# store is emptied when it is full rather than allowed to grow.
MAX_SHAPES = 512


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, Field], ...]  # position among the params, field whose method prepares it
    convert: Callable[[list], list[tuple]]  # the fetched rows → rows as the ORM gives them


_kept: dict[tuple, _Compiled | None] = {}  # None: this shape is run by the ORM
_UNKNOWN = object()


def rows(
    model: type[Model], key: tuple, build: Callable[[list], QuerySet], values: Sequence[tuple[Field, object]]
) -> list[tuple]:
    """The rows of `build(values)`, a values_list QuerySet, read through SQL compiled once per `key`.

    `values` are the (field compared with, value) pairs of the query in the order `build` takes them; `key`
    must name everything else that changes the SQL (the shape), and `build` must give the same SQL for any
    values of that shape. It reads `model`'s rows, from the database the router picks for them now."""
    connection = connections[router.db_for_read(model)]
    key = (connection.alias, *key)
    compiled = _kept.get(key, _UNKNOWN)
    if compiled is _UNKNOWN:
        compiled = _compile(build, [field for field, _ in values], connection)
        if len(_kept) >= MAX_SHAPES:
            _kept.clear()
        _kept[key] = compiled
    if compiled is None:
        return list(build([value for _, value in values]).using(connection.alias))
    assert isinstance(compiled, _Compiled)
    params = list(compiled.params)
    for (position, field), (_, value) in zip(compiled.slots, values, strict=True):
        params[position] = field.get_db_prep_value(value, connection, prepared=False)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        return compiled.convert(cursor.fetchall())


def _compile(build: Callable[[list], QuerySet], fields: list[Field], connection) -> _Compiled | None:
    stand_ins = [_stand_in(field, i) for i, field in enumerate(fields)]
    if any(s is None for s in stand_ins):
        return None
    qs = build(stand_ins)
    compiler = qs.query.get_compiler(using=connection.alias)
    sql, params = compiler.as_sql()
    slots = []
    for field, stand_in in zip(fields, stand_ins, strict=True):
        prepared = field.get_db_prep_value(stand_in, connection, prepared=False)
        if params.count(prepared) != 1:
            return None
        slots.append((params.index(prepared), field))
    converters = []
    for i, (column, _, _) in enumerate(compiler.select):
        # As SQLCompiler.get_converters: the backend's converters, then the field's.
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((i, functions, column))
    return _Compiled(sql, tuple(params), tuple(slots), _rows_converter(converters, connection))


def _stand_in(field: Field, i: int) -> object:
    """A value of the field's type that no real query uses (no report has a negative id, no place is at
    a latitude of minus a billion degrees, nothing was filed in 1901), distinct for each i."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(target, IntegerField):
        return -(10**15) - i
    if isinstance(target, FloatField):
        return -1e9 - i
    if isinstance(target, DateTimeField):
        return dt.datetime(1901, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i)
    return None


def _rows_converter(columns: list[tuple[int, list[Callable], object]], connection) -> Callable:
    """A function that converts fetched rows as SQLCompiler.apply_converters does, given each converted
    column's (position, converter functions, expression).

    On SQLite, Python's sqlite3 already hands over datetimes and dates decoded (by the converters Django
    registers for the column types), so of the backend's own converters only one step is left to do:
    making datetimes aware in the connection's zone (datefield values are already dates). Those two are
    done inline, without a call per value, and any value they do not expect goes through the full
    converter; every other column does. A list of 100 has five such values a row, and their calls were
    a tenth of its CPU."""
    general: list[tuple[int, Callable]] = []
    naive: list[int] = []  # columns of convert_datetimefield_value alone
    dates: list[int] = []  # columns of convert_datefield_value alone
    full: dict[int, Callable] = {}
    sqlite, ops = connection.vendor == "sqlite", connection.ops
    for i, functions, expression in columns:
        full[i] = _converter(functions, expression, connection)
        if sqlite and settings.USE_TZ and functions == [ops.convert_datetimefield_value]:
            naive.append(i)
        elif sqlite and functions == [ops.convert_datefield_value]:
            dates.append(i)
        else:
            general.append((i, full[i]))
    zone = connection.timezone if naive else None

    def convert(fetched: list) -> list[tuple]:
        if not columns:
            return [tuple(row) for row in fetched]
        result = []
        for row in fetched:
            row = list(row)
            for i in naive:
                value = row[i]
                if type(value) is dt.datetime and value.tzinfo is None:
                    row[i] = value.replace(tzinfo=zone)
                elif value is not None:
                    row[i] = full[i](value)
            for i in dates:
                value = row[i]
                if value is not None and type(value) is not dt.date:
                    row[i] = full[i](value)
            for i, function in general:
                row[i] = function(row[i])
            result.append(tuple(row))
        return result

    return convert


def _converter(functions: list[Callable], expression, connection) -> Callable:
    def convert(value):
        for function in functions:
            value = function(value, expression, connection)
        return value

    return convert
