"""Importing one gather page in several processes.

Saving a harvested dataset is CPU work in this process (validation, the kept DCAT, the
search document) more than waiting for PostgreSQL, so a page imports faster on more
cores. With ``ckanext.retailarea.harvest.import_processes`` above 1, a page with enough
new or changed records is shared out: this process forks helpers; each gets its entries
and a fresh :class:`~.page.PageImport` of its own, imports its share in its own
transaction exactly as this process imports its own (datasets, harvest objects, search
documents) and returns the outcome (counts, objects left to the fetch queue). A helper
never sees the gather or its planner.

Before forking, this process does what the helpers would otherwise race on: it maps
every record (a mapping error is reported as usual), reserves a distinct free name for
each new dataset, and creates the page's new free tags (CKAN would create the same tag
in two transactions, and the unique constraint on tags does not cover free tags, whose
vocabulary is NULL). Tags that no dataset ended up using are removed after the page.

This process commits its own share before it waits for the helpers, so no helper can wait
for a lock this process holds. A helper that fails or dies has committed its share
completely or not at all (one transaction); what it did not commit this process imports
itself.
"""
from __future__ import annotations

import logging
import multiprocessing
import uuid
from typing import TYPE_CHECKING, Any

import ckan.model as model
import sqlalchemy as sa
from ckanext.harvest.model import HarvestObject
from sqlalchemy.exc import SQLAlchemyError

from ckanext.retailarea import config
from ckanext.retailarea.harvesters import importer, progress

if TYPE_CHECKING:
    from ckanext.retailarea.harvesters.page import PageImport, Pending

log = logging.getLogger(__name__)

# Records per process below which a helper costs more than it saves.
MIN_SHARE = 25


def processes_for(records: int) -> int:
    """How many processes import a page of ``records`` new or changed records."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = config.harvest_import_processes()
    return max(1, min(wanted, records // MIN_SHARE))


def import_page(page: PageImport, pending: list[Pending]) -> None:
    """Import the page's pending records, in helper processes when that pays."""
    count = processes_for(len(pending)) if page.batch else 1
    if count == 1:
        for entry in pending:
            page.take(entry)
        return
    created = _prepare(page, pending)
    shares = [pending[index::count] for index in range(count)]
    helpers = [_start(page, share) for share in shares[1:]]
    try:
        for entry in shares[0]:
            page.take(entry)
        # Commit this share before waiting: a helper must never wait for a lock held by a
        # transaction that is itself waiting for the helper (PostgreSQL could not see it).
        page.commit()
    except BaseException:
        for helper in helpers:  # their shares stay theirs; no helper is left behind
            _outcome(helper)
        raise
    for helper, share in zip(helpers, shares[1:], strict=True):
        _finish(page, helper, share)
    page.commit()  # what a failed helper left, imported here
    _drop_unused_tags(created)


def _prepare(page: PageImport, pending: list[Pending]) -> list[str]:
    """Map every record, reserve names for new datasets and create new free tags, then
    commit (the helpers must see the tags). Returns the ids of the tags created."""
    for entry in pending:
        try:
            entry.map(page.job.cfg, page.job.source)
        except Exception:  # noqa: BLE001 (mapped again, and reported, on import)
            log.debug("harvest: mapping %s before the import failed", entry.guid,
                      exc_info=True)
    new = [(e, e.package["title"]) for e in pending if e.package is not None and e.known is None]
    try:
        names = importer.new_names(page.job.cfg.name_prefix, [title for _, title in new])
    except Exception:  # noqa: BLE001 (each save then finds its own name)
        log.debug("harvest: reserving names failed", exc_info=True)
        names = [None] * len(new)
    for (entry, _), name in zip(new, names, strict=True):
        entry.name = name
    created = _create_tags({tag["name"] for entry in pending if entry.package
                            for tag in entry.package.get("tags", []) if tag.get("name")})
    model.Session.commit()
    return created


def _create_tags(names: set[str]) -> list[str]:
    if not names:
        return []
    existing = {name for (name,) in model.Session.query(model.Tag.name).filter(
        model.Tag.name.in_(names), model.Tag.vocabulary_id.is_(None))}
    rows = [{"id": str(uuid.uuid4()), "name": name, "vocabulary_id": None}
            for name in sorted(names - existing)]
    if rows:
        model.Session.execute(model.tag_table.insert(), rows)
    return [row["id"] for row in rows]


def _drop_unused_tags(tag_ids: list[str]) -> None:
    """Remove the tags created for the page that no dataset uses (its dataset failed)."""
    if not tag_ids:
        return
    used = sa.select(model.package_tag_table.c.tag_id).where(
        model.package_tag_table.c.tag_id.in_(tag_ids))
    try:
        model.Session.execute(model.tag_table.delete().where(
            model.tag_table.c.id.in_(tag_ids), model.tag_table.c.id.not_in(used)))
        model.Session.commit()
    except SQLAlchemyError:
        # another process tagged a dataset with one of them meanwhile: keep them all
        log.info("harvest: unused new tags kept (one is being used elsewhere)",
                 exc_info=True)
        model.Session.rollback()


def _start(page: PageImport, share: list[Pending]) -> tuple[Any, Any]:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_helper, args=(page, share, sender), daemon=True)
    process.start()
    sender.close()  # this process's copy: the helper's exit then ends ``recv``
    return process, receiver


def _helper(parent: PageImport, share: list[Pending], sender: Any) -> None:
    """In the forked helper: import ``share`` in a transaction of its own and send the
    outcome: counts, the ids of objects left to the fetch queue and the batch state."""
    _fresh_connections()
    page = parent.fresh(progress.Progress("gather", "helper", quiet=True))
    try:
        for entry in share:
            page.take(entry)
        page.commit()
    except Exception:
        log.exception("harvest: an import helper failed; its share is imported again")
        model.Session.rollback()
        sender.send(None)
        return
    sender.send(page.outcome())


def _fresh_connections() -> None:
    """The database connections belong to the parent: a helper opens its own (SQLAlchemy's
    advice for os.fork). Redis and Solr connections are made afresh per process anyway."""
    engine = model.meta.engine
    if engine is not None:
        # Engine.dispose(close=False), spelled so that SQLAlchemy 1.4's stubs know it: a
        # new pool, the parent's connections left open for the parent
        engine.pool = engine.pool.recreate()
    try:
        from ckanext.datastore.backend import postgres as datastore
    except ImportError:
        return
    for engine in getattr(datastore, "_engines", {}).values():
        engine.dispose(close=False)


def _outcome(helper: tuple[Any, Any]) -> dict[str, Any] | None:
    """What the helper sent (None if it failed or died), once it has ended."""
    process, receiver = helper
    try:
        outcome = receiver.recv()
    except EOFError:
        outcome = None
    process.join()
    receiver.close()
    return outcome


def _finish(page: PageImport, helper: tuple[Any, Any], share: list[Pending]) -> None:
    outcome = _outcome(helper)
    if outcome is None:
        process = helper[0]
        log.warning("harvest: an import helper ended without its outcome (exit code %s)",
                    process.exitcode)
        _redo(page, share)
        return
    for status, number in outcome["counts"].items():
        page.progress.tick(status, number)
    page.queued.extend(outcome["queued"])
    page.batch = page.batch and outcome["batch"]


def _redo(page: PageImport, share: list[Pending]) -> None:
    """Import the records of a failed helper's share that it did not commit."""
    rows = model.Session.query(HarvestObject.guid, HarvestObject.report_status).filter(
        HarvestObject.harvest_job_id == page.job.job.id,
        HarvestObject.guid.in_([entry.guid for entry in share]))
    done: dict[str, str | None] = {guid: status for guid, status in rows}
    for entry in share:
        if entry.guid in done:
            page.progress.tick(done[entry.guid] or "queued")
        else:
            page.take(entry)
