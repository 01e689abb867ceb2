"""The import of one catalog page, in one transaction: :class:`PageImport`.

The gather decides what to do with each record (``planner.py``) and hands the page's
outcomes to a PageImport: harvest objects for unchanged records and errors, objects for the
fetch queue, and the new and changed records to import now. It owns the page's
transaction: it saves the datasets (``importer.py``), writes the page's harvest objects,
extras and errors in bulk, commits, and indexes each saved dataset once, after its harvest
object knows it. An import helper (``parallel.py``) gets a fresh PageImport of its own for
its share of the records and returns the outcome; it never sees the gather.

A record that maps badly or fails validation has written nothing (CKAN validates before it
saves) and is reported on its harvest object; anything else rolls the page back and sends
its records through the fetch queue, one transaction each.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from typing import Any, NamedTuple

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchIndexError
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.retailarea.harvesters import importer, mapping, progress, solr
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

log = logging.getLogger(__name__)

# The state of an object for the fetch queue until the gather ends. `ckan harvester run`
# resends every WAITING object that is not on the queue; were they WAITING from their
# page's commit, a gather longer than the scheduler's interval would have them queued twice
# (by the resend and by ckanext-harvest after the gather), and a copy handled after the
# job is marked finished is set to ERROR by ckanext-harvest's fetch callback.
GATHERED = "GATHERED"


@dataclasses.dataclass
class Pending:
    """A new or changed record of the page, waiting to be imported; ``package`` (or
    ``error``) once mapped, ``name`` once a free name is reserved for it."""
    guid: str
    record: Record
    text: str
    digest: str
    known: dict[str, Any] | None
    package: dict[str, Any] | None = None
    unmapped: mapping.Unmapped = dataclasses.field(default_factory=mapping.Unmapped)
    error: str | None = None
    name: str | None = None

    def map(self, cfg: SourceConfig, source: mapping.Source) -> None:
        self.unmapped = mapping.Unmapped()
        try:
            self.package = mapping.to_package(self.record, cfg, source, self.unmapped)
        except mapping.RecordError as failure:
            self.error = str(failure)


@dataclasses.dataclass(frozen=True)
class Job:
    """What every page of a gather shares (and an import helper gets)."""
    job: Any
    cfg: SourceConfig
    source: mapping.Source
    user: str
    user_obj: Any


class PageImport:
    def __init__(self, job: Job, counter: progress.Progress, batch: bool):
        self.job, self.progress, self.batch = job, counter, batch
        self._clear()

    def _clear(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.extras: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.queued: list[str] = []  # objects for the fetch queue
        self.replaced: set[str] = set()  # guids whose earlier objects stop being current
        self.imported: list[str] = []  # objects imported in this transaction
        self.saved: list[tuple[dict[str, Any], str]] = []  # (package, its id)

    def fresh(self, counter: progress.Progress) -> PageImport:
        """An empty PageImport for the same job (an import helper's)."""
        return PageImport(self.job, counter, self.batch)

    def outcome(self) -> dict[str, Any]:
        return {"counts": self.progress.counts, "queued": self.queued, "batch": self.batch}

    # --- objects for the gather's decisions ----------------------------------------------

    def queue(self, guid: str, content: str | None, known: dict | None, status: str,
              digest: str | None = None) -> None:
        object_id = str(uuid.uuid4())
        self.rows.append(self._row(object_id, guid, content, known))
        self.extras.append(_extra(object_id, "status", status))
        if digest:
            self.extras.append(_extra(object_id, "content_hash", digest))
        self.queued.append(object_id)

    def unchanged(self, guid: str, known: dict[str, Any] | None) -> None:
        row = self._row(str(uuid.uuid4()), guid, None, known)
        row.update(state="COMPLETE", report_status="not modified")
        self.rows.append(row)
        self.progress.tick("unchanged")

    def error(self, guid: str, message: str) -> None:
        object_id = str(uuid.uuid4())
        row = self._row(object_id, guid, None, None)
        row.update(state="ERROR", report_status="errored")
        self.rows.append(row)
        self._record_error(object_id, message, "Fetch")
        self.progress.tick("errored")

    # --- importing ---------------------------------------------------------------------

    def take(self, entry: Pending) -> None:
        """Import one pending record now, or queue it once the batch has fallen back."""
        if self.batch:
            self._import(entry)
        else:
            self.queue(entry.guid, entry.text, entry.known,
                       "change" if entry.known else "new", entry.digest)
            self.progress.tick("changed" if entry.known else "new")

    def _import(self, entry: Pending) -> None:
        object_id, started = str(uuid.uuid4()), _now()
        row = self._row(object_id, entry.guid, entry.text, entry.known)
        try:
            outcome = save(entry, self.job, row["package_id"])
        except Exception:
            log.exception("harvest gather %s: batch import failed at %s; falling back to "
                          "the fetch queue", self.job.job.source.url, entry.guid)
            self._fall_back(entry)
            return
        self.imported.append(object_id)
        if isinstance(outcome, str):
            row.update(state="ERROR", report_status="errored")
            self._record_error(object_id, outcome, "Import")
            self.progress.tick("errored")
        else:
            done = "updated" if outcome.updated else "added"
            row.update(state="COMPLETE", current=True, package_id=outcome.package_id,
                       report_status=done)
            self.saved.append((outcome.package, outcome.package_id))
            self.replaced.add(entry.guid)
            self.progress.tick(done)
        row.update(fetch_started=started, fetch_finished=started, import_started=started,
                   import_finished=_now())
        self.rows.append(row)
        self.extras += [_extra(object_id, "status", "change" if entry.known else "new"),
                        _extra(object_id, "content_hash", entry.digest)]
        self.extras += [_extra(object_id, "note", m) for m in entry.unmapped.messages()]
        self.extras += [_extra(object_id, "fallback", m) for m in entry.unmapped.fallbacks]

    def _fall_back(self, failed: Pending) -> None:
        """Roll back this transaction's imports and queue them (and the failed record) as
        ordinary harvest objects, so one broken record cannot take others with it."""
        model.Session.rollback()
        self.batch = False
        redo = set(self.imported)
        for row in self.rows:
            if row["id"] in redo:
                row.update(state=GATHERED, current=False, report_status=None,
                           fetch_started=None, fetch_finished=None, import_started=None,
                           import_finished=None, package_id=row["known_package_id"])
                self.queued.append(row["id"])
        self.errors = [e for e in self.errors if e["harvest_object_id"] not in redo]
        self.extras = [e for e in self.extras
                       if not (e["harvest_object_id"] in redo
                               and e["key"] in ("note", "fallback"))]
        self.replaced.clear()
        self.imported.clear()
        self.saved.clear()
        self.queue(failed.guid, failed.text, failed.known,
                   "change" if failed.known else "new", failed.digest)

    # --- the transaction -----------------------------------------------------------------

    def commit(self) -> None:
        """Write the page's objects, extras and errors, commit, and index each saved
        dataset once (its harvest object knows it by then)."""
        model.Session.flush()
        if self.replaced:
            model.Session.query(HarvestObject).filter(
                HarvestObject.harvest_source_id == self.job.job.source.id,
                HarvestObject.guid.in_(self.replaced),
            ).update({"current": False}, synchronize_session=False)
            self.replaced.clear()
        rows = [{k: v for k, v in row.items() if k != "known_package_id"} for row in self.rows]
        for table, items in ((HarvestObject, rows), (HarvestObjectExtra, self.extras),
                             (HarvestObjectError, self.errors)):
            if items:
                model.Session.execute(table.__table__.insert(), items)
        self.rows, self.extras, self.errors = [], [], []
        for package, package_id in self.saved:
            importer.after_objects(package, package_id)
        saved = [package_id for _, package_id in self.saved]
        self.saved, self.imported = [], []
        unindexed = solr.commit_and_index(saved)
        if unindexed:
            self._forget_hashes(unindexed)
        try:
            solr.commit()
        except SearchIndexError as error:
            log.warning("harvest gather %s: Solr commit failed: %s", self.job.job.source.url,
                        error)

    def abandon(self) -> None:
        """Drop what this transaction holds: its uncommitted datasets and objects."""
        model.Session.rollback()
        self._clear()

    def _forget_hashes(self, package_ids: list[str]) -> None:
        """Saved but not indexed: without their content hash the next harvest rewrites
        (and so indexes) them instead of skipping them as unchanged."""
        objects = model.Session.query(HarvestObject.id).filter(
            HarvestObject.harvest_job_id == self.job.job.id,
            HarvestObject.package_id.in_(package_ids))
        model.Session.query(HarvestObjectExtra).filter(
            HarvestObjectExtra.harvest_object_id.in_(objects.scalar_subquery()),
            HarvestObjectExtra.key == "content_hash",
        ).delete(synchronize_session=False)
        model.Session.commit()
        job_error(self.job.job, f"{len(package_ids)} dataset(s) were saved but could not be "
                  "added to the search index (is Solr running?); the next harvest indexes "
                  "them.")

    def _record_error(self, object_id: str, message: str, stage: str) -> None:
        self.errors.append({"id": str(uuid.uuid4()), "harvest_object_id": object_id,
                            "message": message, "stage": stage, "created": _now(),
                            "line": None})

    def _row(self, object_id: str, guid: str, content: str | None,
             known: dict | None) -> dict[str, Any]:
        package_id = known["package_id"] if known else None
        job = self.job.job
        return {
            "id": object_id, "guid": guid, "current": False, "gathered": _now(),
            "content": content, "state": GATHERED, "retry_times": 0,
            "harvest_job_id": job.id, "harvest_source_id": job.source.id,
            "package_id": package_id, "report_status": None, "fetch_started": None,
            "fetch_finished": None, "import_started": None, "import_finished": None,
            "known_package_id": package_id,
        }


class Saved(NamedTuple):
    package: dict[str, Any]
    package_id: str
    updated: bool


def save(entry: Pending, job: Job, package_id: str | None) -> Saved | str:
    """Map the entry (unless done) and save its dataset, uncommitted: what was saved,
    or the error message when it maps badly or fails validation
    (nothing written then). Every import goes through here, in every stage and process."""
    if entry.package is None and entry.error is None:
        entry.map(job.cfg, job.source)
    if entry.error is not None or entry.package is None:
        return entry.error or "The record could not be mapped"
    try:
        saved, updated = importer.save(entry.package, package_id, job.cfg.name_prefix,
                                       job.user, user_obj=job.user_obj, name=entry.name)
    except tk.ValidationError as failure:
        return f"Invalid dataset: {importer.summary(failure)}"
    return Saved(entry.package, saved, updated)


def import_object(obj: Any, job: Job, record: Record) -> tuple[bool, str | None]:
    """Import the record of one harvest object from the fetch queue, in a transaction of
    its own, as a page imports its records: the object knows its dataset before the
    dataset is indexed. Returns whether the dataset was saved, and a message for the
    object's report (why not, or that it is not in the search index yet)."""
    entry = Pending(obj.guid, record, obj.content, "", None)
    known = obj.package_id or importer.harvested_before(obj.harvest_source_id, obj.guid)
    outcome = save(entry, job, known)
    if isinstance(outcome, str):
        model.Session.rollback()
        return False, outcome
    package_id = outcome.package_id
    model.Session.query(HarvestObject).filter(
        HarvestObject.guid == obj.guid,
        HarvestObject.harvest_source_id == obj.harvest_source_id,
        HarvestObject.id != obj.id,
    ).update({"current": False}, synchronize_session=False)
    obj.package_id, obj.current = package_id, True
    model.Session.add(obj)
    model.Session.add_all(HarvestObjectExtra(harvest_object_id=obj.id, key="note", value=m)
                          for m in entry.unmapped.messages())
    model.Session.add_all(HarvestObjectExtra(harvest_object_id=obj.id, key="fallback", value=m)
                          for m in entry.unmapped.fallbacks)
    importer.after_objects(outcome.package, package_id)
    unindexed = solr.commit_and_index([package_id])
    solr.commit(force=False)
    if unindexed:
        forget_hash(obj.id)
        return True, ("Saved but not added to the search index (is Solr running?); the "
                      "next harvest indexes it.")
    return True, None


def forget_hash(object_id: str) -> None:
    """Without its content hash the record counts as changed at the next harvest."""
    model.Session.query(HarvestObjectExtra).filter(
        HarvestObjectExtra.harvest_object_id == object_id,
        HarvestObjectExtra.key == "content_hash",
    ).delete(synchronize_session=False)
    model.Session.commit()


def job_error(job: Any, message: str) -> None:
    log.warning("harvest gather %s: %s", job.source.url, message)
    HarvestGatherError(message=message, job=job).save()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _extra(object_id: str, key: str, value: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "harvest_object_id": object_id, "key": key,
            "value": value}
