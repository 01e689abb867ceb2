"""Search-index commits during a harvest import.

CKAN indexes a dataset when it is saved and, with ``ckan.search.solr_commit`` on (the
default), makes Solr commit after every single document: most of the time a harvested
dataset costs. While our harvesters save a dataset the per-document commit is switched
off; Solr's own autoSoftCommit (1 s in our configset, see config/solr/solrconfig.xml)
and a commit from here at most every ``COMMIT_EVERY_SECONDS`` make the datasets
searchable shortly after, and a commit at the end of each gather page or withdrawal does
the rest.
"""
from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchIndexError, rebuild
from ckan.lib.search import commit as solr_commit

log = logging.getLogger(__name__)

COMMIT_EVERY_SECONDS = 2.0
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
    datasets ourselves, each once, without a Solr commit per document. (No other
    IDomainObjectModification observer is enabled on this platform.)"""
    ids = list(dict.fromkeys(package_ids))
    session = model.Session()  # the session itself: the cache is not on the scoped proxy
    session.flush()
    if ids and hasattr(session, "_object_cache"):
        del session._object_cache
    session.commit()
    failed = []
    for package_id in ids:
        try:
            rebuild(package_ids=[package_id], defer_commit=True, quiet=True)
        except SearchIndexError:
            log.exception("harvest: could not index dataset %s", package_id)
            failed.append(package_id)
    return failed


def commit() -> None:
    _last["commit"] = time.monotonic()
    if tk.config.get(OPTION):
        solr_commit()
