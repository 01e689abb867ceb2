"""Search-index updates and commits during a harvest import.

CKAN indexes a dataset when its transaction commits (the search plugin's
IDomainObjectModification observer) and, with ``ckan.search.solr_commit`` on (the
default), makes Solr commit after every single document: most of the time a harvested
dataset would cost, and a new dataset is indexed twice per commit (as new, and again as
changed through its tags, resources and group memberships). For the datasets of a
harvest page we index each once ourselves, through CKAN's own ``rebuild`` (package_show,
validation, before_dataset_index hooks, permission labels) without a Solr commit per
document; Solr's autoSoftCommit (1 s in our configset, see config/solr/solrconfig.xml)
and a commit from here at the end of each gather page or fetched record, at most every
``COMMIT_EVERY_SECONDS``, make them searchable.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchIndexError, rebuild
from ckan.lib.search import commit as solr_commit
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

COMMIT_EVERY_SECONDS = 2.0
_last = {"commit": time.monotonic()}


def commit_and_index(package_ids: Iterable[str]) -> list[str]:
    """Commit the session, then index each of ``package_ids`` once; the ids that could not
    be indexed (Solr unreachable) are returned, the datasets themselves stay saved."""
    ids = list(dict.fromkeys(package_ids))
    session = model.Session()  # the session itself: the cache is not on the scoped proxy
    session.flush()
    if ids:
        _without_automatic_indexing(session)
    session.commit()
    _expire_packages(session, ids)
    failed = []
    for package_id in ids:
        try:
            rebuild(package_ids=[package_id], defer_commit=True, quiet=True)
        except SearchIndexError:
            log.exception("harvest: could not index dataset %s", package_id)
            failed.append(package_id)
    return failed


def _expire_packages(session: Session, package_ids: list[str]) -> None:
    """Have the page's datasets read back as stored before they are indexed. CKAN 2.12
    keeps extras in one JSONB column, which PostgreSQL gives back in its own key order,
    while a dataset saved in this session still holds them in the order they were set;
    package_show lists them in the order it finds, so the document would differ from the
    one ``ckan search-index rebuild`` makes (CKAN 2.11 sorted them by key)."""
    wanted = set(package_ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model.Package) and obj.id in wanted:
            session.expire(obj)


def _without_automatic_indexing(session: object) -> None:
    """Drop the session's record of changed objects, which CKAN's observers read at
    commit (ckan.model.meta: ``_object_cache``, cleared by CKAN after every commit), so the
    commit does not index the page's datasets twice, each with a Solr commit. CKAN has no
    public switch for this; it is the one place the harvest reaches into CKAN's state."""
    if hasattr(session, "_object_cache"):
        delattr(session, "_object_cache")


def commit(force: bool = True) -> None:
    """A Solr commit, if the site commits at all (``ckan.search.solr_commit``); unless
    ``force``, at most one every ``COMMIT_EVERY_SECONDS``."""
    if not force and time.monotonic() - _last["commit"] < COMMIT_EVERY_SECONDS:
        return
    _last["commit"] = time.monotonic()
    if tk.config.get("ckan.search.solr_commit"):
        solr_commit()
