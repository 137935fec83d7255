"""Reads from a PostgreSQL streaming replica (docs/scaling.md), for the public pages that only read.

With GOROD_READ_REPLICA_URL set, settings add DATABASES["replica"] and this router. A read goes to the
replica only when the code asked for it (`with reads_from_replica():` or the `@replica_reads` decorator on
a public view) and no transaction is open on the primary: a transaction's reads must see its own writes
and a consistent snapshot, so they stay on the primary. Writes always go to the primary. Everything else
(the back office, sign-in, sessions and accounts, the worker, any read a view does not mark) reads the
primary, so a lagging replica can only make a public list a moment older, never a staff decision.

Without the setting there is no "replica" alias routed to and nothing changes."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Only public data may come from the replica: sessions, accounts and lockouts stay on the primary, so a
# resident who has just signed in is never signed out by a lagging copy.
PUBLIC_APPS = frozenset({"city", "reports", "open311", "budgeting"})
_wanted: ContextVar[bool] = ContextVar("gorod_replica_reads", default=False)


@contextlib.contextmanager
def reads_from_replica() -> Iterator[None]:
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """A public view whose reads may come from the replica (it writes nothing that it then reads)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reads_from_replica():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            _wanted.get()
            and model._meta.app_label in PUBLIC_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows, one a copy of the other

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica gets the schema by replication
