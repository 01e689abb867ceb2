"""Search-index updates and commits during a harvest import.

CKAN indexes a dataset when it is saved and, with ``ckan.search.solr_commit`` on (the
default), makes Solr commit after every single document: most of the time a harvested
dataset costs. While our harvesters save a dataset the per-document commit is switched
off; Solr's own autoSoftCommit (1 s in our configset, see config/solr/solrconfig.xml)
and a commit from here at most every ``COMMIT_EVERY_SECONDS`` make the datasets
searchable shortly after, and a commit at the end of each gather page or withdrawal does
the rest. A gather page's documents go to Solr in one request (``commit_and_index``).
"""
from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pysolr
from ckan.lib.search import SearchIndexError, rebuild
from ckan.lib.search import commit as solr_commit
from ckan.lib.search import index as search_index

log = logging.getLogger(__name__)

COMMIT_EVERY_SECONDS = 2.0
BATCH = 500  # documents per update request
OPTION = "ckan.search.solr_commit"
_last = {"commit": time.monotonic()}


@contextlib.contextmanager
def deferred_commits() -> Iterator[None]:
    """Index without a Solr commit per document inside the block (this process only)."""
    before = tk.config.get(OPTION)
    tk.config[OPTION] = False
    try:
        yield
    finally:
        tk.config[OPTION] = before
    if time.monotonic() - _last["commit"] >= COMMIT_EVERY_SECONDS:
        commit()


def commit_and_index(package_ids: Iterable[str]) -> list[str]:
    """Commit the session, then index each of ``package_ids`` once; the ids that could not
    be indexed (Solr unreachable) are returned, the datasets themselves stay saved.

    CKAN's automatic indexing (the search plugin's IDomainObjectModification observer,
    fed by the session's pending-change cache) indexes a new dataset twice in one commit:
    as new, and again as changed through its tags, resources and group memberships. For a
    page of harvested datasets we drop that cache before committing and index the page's
    datasets ourselves, each once: CKAN builds every document as usual, and the page's
    documents go to Solr in one request instead of one connection each. (No other
    IDomainObjectModification observer is enabled on this platform.)"""
    ids = list(dict.fromkeys(package_ids))
    session = model.Session()  # the session itself: the cache is not on the scoped proxy
    session.flush()
    if ids and hasattr(session, "_object_cache"):
        del session._object_cache
    session.commit()
    if not ids:
        return []
    docs, failed = _documents(ids)
    try:
        _send(docs)
    except SearchIndexError:
        failed += _send_one_by_one(docs)
    return failed


class _Collector:
    """Stands in for the Solr connection while CKAN builds the documents of a page."""

    def __init__(self, connect: Any) -> None:
        self.docs: list[dict[str, Any]] = []
        self.connect = connect

    def add(self, docs: list[dict[str, Any]], commit: bool = False) -> None:
        self.docs.extend(docs)

    def delete(self, **kwargs: Any) -> Any:
        """Removing a document (a dataset no longer active) goes to Solr at once."""
        return self.connect().delete(**kwargs)


def _documents(ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The Solr document of each dataset, built by CKAN's own ``rebuild`` (package_show,
    validation, before_dataset_index hooks, permission labels) with the connection it
    sends through swapped for a collector for the duration of the call (this process
    runs one harvest at a time in one thread: the gather and fetch consumers, run-test)."""
    original = search_index.make_connection
    collector = _Collector(original)
    failed = []
    search_index.make_connection = lambda *args, **kwargs: collector
    try:
        for package_id in ids:
            try:
                rebuild(package_ids=[package_id], defer_commit=True, quiet=True)
            except SearchIndexError:
                log.exception("harvest: could not index dataset %s", package_id)
                failed.append(package_id)
    finally:
        search_index.make_connection = original
    return collector.docs, failed


def _send(docs: list[dict[str, Any]]) -> None:
    """One update request for all ``docs`` (no commit: see the module docstring)."""
    try:
        for start in range(0, len(docs), BATCH):
            search_index.make_connection().add(docs=docs[start:start + BATCH], commit=False)
    except (pysolr.SolrError, OSError) as error:
        raise SearchIndexError(f"Solr: {str(error)[:1000]}") from error


def _send_one_by_one(docs: list[dict[str, Any]]) -> list[str]:
    """After a failed batch: each document alone, so one bad document costs only itself."""
    failed = []
    for doc in docs:
        try:
            _send([doc])
        except SearchIndexError:
            log.exception("harvest: could not index dataset %s", doc["id"])
            failed.append(doc["id"])
    return failed


def commit() -> None:
    _last["commit"] = time.monotonic()
    if tk.config.get(OPTION):
        solr_commit()
