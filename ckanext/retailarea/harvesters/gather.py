"""The gather stage of our harvesters: page by page, hash by hash, error by error.

Harvest objects are written in bulk, one transaction per catalog page, so a gather of
10,000 records costs a few statements per page rather than a commit per record.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from typing import TYPE_CHECKING, Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search import SearchIndexError
from ckanext.harvest.model import (
    HarvestGatherError,
    HarvestObject,
    HarvestObjectError,
    HarvestObjectExtra,
)

from ckanext.retailarea import config
from ckanext.retailarea.harvesters import (
    http,
    importer,
    mapping,
    paging,
    parallel,
    progress,
    shows,
    solr,
    withdraw,
)
from ckanext.retailarea.harvesters.record import Record, content_hash

if TYPE_CHECKING:
    from ckanext.retailarea.harvesters.base import RetailAreaHarvester
    from ckanext.retailarea.harvesters.source_config import SourceConfig

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Pending:
    """A new or changed record of the current page, waiting to be imported; ``package``
    (or ``error``) once mapped, ``name`` once a free name is reserved for it."""
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


class Gather:
    def __init__(self, harvester: RetailAreaHarvester, job: Any, cfg: SourceConfig):
        self.harvester, self.job, self.cfg = harvester, job, cfg
        self.known = _known(job.source.id)
        self.seen: set[str] = set()
        self.complete = True
        self.rows: list[dict[str, Any]] = []
        self.extras: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.queued: list[str] = []
        self.progress = progress.Progress("gather", job.source.title or job.source.url)
        self.batch = config.harvest_import_in_gather() and not harvester.wants_details()
        self.replaced: set[str] = set()
        self.page_imports: list[str] = []
        self.page_packages: list[str] = []
        self.page_saved: list[tuple[dict[str, Any], str]] = []
        self.pending: list[Pending] = []
        self.source = importer.source_of(job.source)
        self.user = harvester._get_user_name()
        self.user_obj = model.User.get(self.user)

    def run(self) -> list[str]:
        try:
            self._pages()
            self.flush()
        except (http.FetchError, paging.PageError) as error:
            self.complete = False
            self.job_error(f"Gather stopped: {error}. Records harvested so far are kept; "
                           "nothing is withdrawn.")
            self.flush()
        except Exception as error:
            # Earlier pages are committed with their harvest objects; letting this escape
            # would make ckanext-harvest delete those objects and orphan their datasets.
            log.exception("harvest gather %s failed", self.job.source.url)
            self._abandon_page()
            self.complete = False
            self.job_error(f"Gather stopped by an unexpected error ({type(error).__name__}: "
                           f"{str(error)[:300]}). Earlier pages are kept; nothing is "
                           "withdrawn.")
        self.progress.log()
        _release(self.queued)
        self.queued.extend(withdraw.plan(self))
        return self.queued

    def _pages(self) -> None:
        pages = 0
        for page_url, items in self.harvester.pages(self.job.source.url, self.cfg):
            pages += 1
            if pages > config.harvest_max_pages():
                raise paging.PageError(f"more than {config.harvest_max_pages()} pages")
            with shows.shared():  # a dataset saved and indexed here is read once
                for item in items:
                    self._take(item, page_url)
                parallel.import_page(self, self.pending)
                self.pending = []
                self.flush()

    def _take(self, item: Any, page_url: str) -> None:
        quick = self.harvester.quick_key(item)
        if quick is not None:
            guid, fingerprint = quick
            digest = content_hash(fingerprint, self.cfg.fingerprint)
            known = self.known.get(guid)
            if known and known["hash"] == digest and guid not in self.seen:
                # Unchanged: not even parsed into a record.
                self.seen.add(guid)
                self._unchanged(guid, known)
                return
        try:
            record = self.harvester.record(item, page_url, self.cfg)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # Without an id we cannot tell which dataset it was: no withdrawals this time.
            self.complete = False
            self._error_object(f"unreadable-{uuid.uuid4().hex[:8]}", None,
                               f"Record on {page_url} could not be read: {error}")
            return
        guid = record.original_id
        if guid in self.seen:
            self._error_object(guid, None, f"Duplicate id {guid!r} on {page_url}: the first "
                               "record with this id is harvested, this one is ignored")
            return
        self.seen.add(guid)
        self._classify(guid, record, digest if quick is not None else None)

    def _classify(self, guid: str, record: Record, digest: str | None) -> None:
        unmapped = mapping.Unmapped()
        level = mapping.access_level(record, self.cfg, unmapped)
        known = self.known.get(guid)
        if level == mapping.NON_PUBLIC:
            self._withhold(guid, known, unmapped)
            return
        if level == mapping.RESTRICTED:
            record = record.metadata_only()
        text = record.as_json()
        digest = digest or content_hash(text, self.cfg.fingerprint)
        if known and known["hash"] == digest:
            self._unchanged(guid, known)
            return
        if self.batch:
            self.pending.append(Pending(guid, record, text, digest, known))
        else:
            self._queue(guid, text, known, digest)

    def _queue(self, guid: str, text: str, known: dict | None, digest: str) -> None:
        self._object(guid, text, known, "change" if known else "new", digest)
        self.progress.tick("changed" if known else "new")

    def import_entry(self, entry: Pending) -> None:
        """Import one pending record now, or queue it once the batch has fallen back."""
        if self.batch:
            self._import_now(entry)
        else:
            self._queue(entry.guid, entry.text, entry.known, entry.digest)

    def _import_now(self, entry: Pending) -> None:
        """Map and save the record inside this page's transaction. A record that maps badly
        or fails validation has written nothing (CKAN validates before it saves) and is
        reported on its harvest object; anything else rolls the page back and sends its
        records through the fetch queue, one transaction each (``_fall_back``)."""
        guid, known, digest = entry.guid, entry.known, entry.digest
        object_id, started = str(uuid.uuid4()), _now()
        row = _row(object_id, guid, self.job, entry.text,
                   known["package_id"] if known else None)
        try:
            if entry.package is None and entry.error is None:
                entry.map(self.cfg, self.source)
            error = entry.error
            if error is None:
                package_id, updated = importer.save(
                    entry.package, row["package_id"], self.cfg.name_prefix, self.user,
                    defer=True, user_obj=self.user_obj, name=entry.name)
        except tk.ValidationError as failure:
            error = f"Invalid dataset: {importer.summary(failure)}"
        except Exception:
            log.exception("harvest gather %s: batch import failed at %s; falling back to "
                          "the fetch queue", self.job.source.url, guid)
            self._fall_back(row, guid, digest, known)
            return
        self.page_imports.append(object_id)
        if error:
            row.update(state="ERROR", report_status="errored")
            self._record_error(object_id, error, "Import")
            self.progress.tick("errored")
        else:
            row.update(state="COMPLETE", current=True, package_id=package_id,
                       report_status="updated" if updated else "added")
            self.page_packages.append(package_id)
            self.page_saved.append((entry.package, package_id))
            self.replaced.add(guid)
            self.progress.tick("updated" if updated else "added")
        row.update(fetch_started=started, fetch_finished=started, import_started=started,
                   import_finished=_now())
        self.rows.append(row)
        self.extras += [_extra(object_id, "status", "change" if known else "new"),
                        _extra(object_id, "content_hash", digest)]
        self.extras += [_extra(object_id, "note", m) for m in entry.unmapped.messages()]

    def _fall_back(self, failed_row: dict[str, Any], guid: str, digest: str,
                   known: dict | None) -> None:
        """Roll back this page's batch imports and queue them (and the failed record) as
        ordinary harvest objects, so one broken record cannot take others with it."""
        model.Session.rollback()
        self.batch = False
        redo = set(self.page_imports)
        for row in self.rows:
            if row["id"] in redo:
                row.update(state=GATHERED, current=False, report_status=None,
                           fetch_started=None, fetch_finished=None, import_started=None,
                           import_finished=None,
                           package_id=(self.known.get(row["guid"]) or {}).get("package_id"))
                self.queued.append(row["id"])
        self.errors = [e for e in self.errors if e["harvest_object_id"] not in redo]
        self.replaced.clear()
        self.page_imports.clear()
        self.page_packages.clear()
        self.page_saved.clear()
        self._object(guid, failed_row["content"], known, "change" if known else "new",
                     digest)

    def _withhold(self, guid: str, known: dict | None, unmapped: mapping.Unmapped) -> None:
        """Never stored: a copy harvested before is withdrawn, a new one only reported."""
        if known:
            self._object(guid, None, known, "withdraw")
            self.progress.tick("withdrawn (non-public)")
            return
        reason = "; ".join(unmapped.messages()) or "non-public at the source"
        self._error_object(guid, None, f"Withheld: {reason}. Not harvested.")

    def _object(self, guid: str, content: str | None, known: dict | None, status: str,
                digest: str | None = None) -> None:
        object_id = str(uuid.uuid4())
        self.rows.append(_row(object_id, guid, self.job, content,
                              known["package_id"] if known else None))
        self.extras.append(_extra(object_id, "status", status))
        if digest:
            self.extras.append(_extra(object_id, "content_hash", digest))
        self.queued.append(object_id)

    def _unchanged(self, guid: str, known: dict) -> None:
        row = _row(str(uuid.uuid4()), guid, self.job, None, known["package_id"])
        row.update(state="COMPLETE", report_status="not modified")
        self.rows.append(row)
        self.progress.tick("unchanged")

    def _error_object(self, guid: str, content: str | None, message: str) -> None:
        object_id = str(uuid.uuid4())
        row = _row(object_id, guid, self.job, content, None)
        row.update(state="ERROR", report_status="errored")
        self.rows.append(row)
        self._record_error(object_id, message, "Fetch")
        self.progress.tick("errored")

    def _record_error(self, object_id: str, message: str, stage: str) -> None:
        self.errors.append({"id": str(uuid.uuid4()), "harvest_object_id": object_id,
                            "message": message, "stage": stage, "created": _now(),
                            "line": None})

    def job_error(self, message: str) -> None:
        log.warning("harvest gather %s: %s", self.job.source.url, message)
        HarvestGatherError(message=message, job=self.job).save()

    def flush(self) -> None:
        """One transaction for the page: its datasets, objects, extras and record errors.
        Committing indexes the page's datasets, without a Solr commit per dataset."""
        model.Session.flush()
        if self.replaced:
            model.Session.query(HarvestObject).filter(
                HarvestObject.harvest_source_id == self.job.source.id,
                HarvestObject.guid.in_(self.replaced),
            ).update({"current": False}, synchronize_session=False)
            self.replaced.clear()
        for table, rows in ((HarvestObject, self.rows), (HarvestObjectExtra, self.extras),
                            (HarvestObjectError, self.errors)):
            if rows:
                model.Session.execute(table.__table__.insert(), rows)
            rows.clear()
        for package, package_id in self.page_saved:
            importer.after_objects(package, package_id)
        self.page_saved.clear()
        self.page_imports.clear()
        with solr.deferred_commits():
            unindexed = solr.commit_and_index(self.page_packages)
        self.page_packages.clear()
        if unindexed:
            self._forget_hashes(unindexed)
        try:
            solr.commit()
        except SearchIndexError as error:
            log.warning("harvest gather %s: Solr commit failed: %s", self.job.source.url, error)

    def reset_page(self, counter: progress.Progress) -> None:
        """Start a page with nothing pending (an import helper's fresh start), counting
        outcomes on ``counter``."""
        for rows in (self.rows, self.extras, self.errors, self.queued, self.page_imports,
                     self.page_packages, self.page_saved, self.pending):
            rows.clear()
        self.replaced.clear()
        self.progress = counter

    def _abandon_page(self) -> None:
        """Drop the page in progress: its uncommitted datasets and its pending objects."""
        model.Session.rollback()
        pending = {row["id"] for row in self.rows}
        self.queued = [i for i in self.queued if i not in pending]
        for rows in (self.rows, self.extras, self.errors, self.page_imports,
                     self.page_packages, self.page_saved, self.pending):
            rows.clear()
        self.replaced.clear()

    def _forget_hashes(self, package_ids: list[str]) -> None:
        """Saved but not indexed: without their content hash the next harvest rewrites
        (and so indexes) them instead of skipping them as unchanged."""
        objects = model.Session.query(HarvestObject.id).filter(
            HarvestObject.harvest_job_id == self.job.id,
            HarvestObject.package_id.in_(package_ids))
        model.Session.query(HarvestObjectExtra).filter(
            HarvestObjectExtra.harvest_object_id.in_(objects.scalar_subquery()),
            HarvestObjectExtra.key == "content_hash",
        ).delete(synchronize_session=False)
        model.Session.commit()
        self.job_error(f"{len(package_ids)} dataset(s) were saved but could not be added to "
                       "the search index (is Solr running?); the next harvest indexes them.")


# The state of an object for the fetch queue until the gather ends. `ckan harvester run`
# resends every WAITING object that is not on the queue; were they WAITING from their
# page's commit, a gather longer than the scheduler's interval would have them queued twice
# (by the resend and by ckanext-harvest after the gather), and a copy handled after the
# job is marked finished is set to ERROR by ckanext-harvest's fetch callback.
GATHERED = "GATHERED"


def _release(object_ids: list[str]) -> None:
    """Make the gathered objects WAITING, just before ckanext-harvest queues them."""
    for start in range(0, len(object_ids), 1000):
        model.Session.query(HarvestObject).filter(
            HarvestObject.id.in_(object_ids[start:start + 1000]),
            HarvestObject.state == GATHERED,
        ).update({"state": "WAITING"}, synchronize_session=False)
    model.Session.commit()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(object_id: str, guid: str, job: Any, content: str | None,
         package_id: str | None) -> dict[str, Any]:
    return {
        "id": object_id, "guid": guid, "current": False, "gathered": _now(),
        "content": content, "state": GATHERED, "retry_times": 0,
        "harvest_job_id": job.id, "harvest_source_id": job.source.id,
        "package_id": package_id, "report_status": None, "fetch_started": None,
        "fetch_finished": None, "import_started": None, "import_finished": None,
    }


def _extra(object_id: str, key: str, value: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "harvest_object_id": object_id, "key": key,
            "value": value}


def _known(source_id: str) -> dict[str, dict[str, Any]]:
    """guid -> package id and content hash of the datasets this source imported before
    and that still exist."""
    digest = sa.orm.aliased(HarvestObjectExtra)
    rows = (
        model.Session.query(HarvestObject.guid, HarvestObject.package_id, digest.value)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .outerjoin(digest, sa.and_(digest.harvest_object_id == HarvestObject.id,
                                   digest.key == "content_hash"))
        .filter(HarvestObject.harvest_source_id == source_id)
        .filter(HarvestObject.current.is_(True))
        .filter(model.Package.state == "active")
    )
    return {guid: {"package_id": package_id, "hash": value} for guid, package_id, value in rows}
