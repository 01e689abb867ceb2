"""DataStore reads when the read database (``ckan.datastore.read_url``, a streaming
replica in `make cluster`) is unreachable (docs/operations.md, "Losing the replica").

* The extension's own aggregate reads (footfall series, insights, live counts) go through
  ``connect()``: the read engine, or when it refuses, the write engine (the primary) in a
  READ ONLY transaction, so a series still answers while the replica is away.
* The DataStore's own read actions (``datastore_search``, ``datastore_search_sql``,
  ``datastore_info``) use the read engine inside CKAN; when it cannot be reached they fail
  with a 409 and a message, not a 500 with a traceback in the log. Both resume by
  themselves when the replica returns: the engines check a pooled connection before use
  (``pool_pre_ping``) and reconnect.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

READ_ACTIONS = ("datastore_search", "datastore_search_sql", "datastore_info")


def unreachable(error: Exception) -> bool:
    """A lost or refused database connection (not a bad query)."""
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and bool(error.connection_invalidated))


@contextmanager
def connect() -> Iterator[Any]:
    """A connection for reading: the read engine, else the primary, read-only."""
    import ckanext.datastore.backend.postgres as db

    try:
        connection = db.get_read_engine().connect()
    except OperationalError as error:
        log.warning("DataStore read database unreachable, reading from the primary: %s",
                    str(error).splitlines()[0])
        # psycopg2 sets the session read-only and resets it when the connection goes back
        with db.get_write_engine().connect() as primary:
            yield primary.execution_options(postgresql_readonly=True)
        return
    with connection:
        yield connection


def _failing_cleanly(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except DBAPIError as error:
        if not unreachable(error):
            raise
        log.warning("DataStore read database unreachable: %s", str(error).splitlines()[0])
        raise tk.ValidationError({"datastore": [tk._(
            "The DataStore's read database is unavailable at the moment; "
            "please try again in a minute.")]}) from None


def _guarded(name: str, chained: Any | None) -> Any:
    if chained is None:
        # all three are read actions (GET); a chained action must say so itself
        @tk.chained_action
        @tk.side_effect_free
        def action(next_action: Any, context: Any, data_dict: Any) -> Any:
            return _failing_cleanly(lambda: next_action(context, data_dict))
        action.__name__ = name
        return action

    @functools.wraps(chained)
    def wrapped(next_action: Any, context: Any, data_dict: Any) -> Any:
        return _failing_cleanly(lambda: chained(next_action, context, data_dict))
    return wrapped


def guard_reads(actions: dict[str, Any]) -> dict[str, Any]:
    """``actions`` with the DataStore's read actions chained (or their existing chained
    version wrapped) so an unreachable read database is a clean 409."""
    if not plugins.plugin_loaded("datastore"):
        return actions
    # datastore_search_sql exists only with SQL search enabled: wrapped only when the
    # actions already chain it (guard/upstream.py checks that setting)
    names = [name for name in READ_ACTIONS if name != "datastore_search_sql" or name in actions]
    return {**actions, **{name: _guarded(name, actions.get(name)) for name in names}}
