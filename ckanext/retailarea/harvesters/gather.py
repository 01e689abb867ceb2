"""The gather stage of our harvesters: page by page, hash by hash, error by error.

For each catalog item the planner (``planner.py``) decides: unchanged, new, changed,
withdraw or error. The page's outcomes go to one :class:`~.page.PageImport`, which imports
the new and changed records and writes the page's harvest objects in one transaction, so a
gather of 10,000 records costs a few statements per page rather than a commit per record.
"""
from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

import ckan.model as model
import sqlalchemy as sa
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra
from sqlalchemy.orm import aliased

from ckanext.retailarea import config
from ckanext.retailarea.harvesters import (
    http,
    importer,
    paging,
    parallel,
    planner,
    progress,
    withdraw,
)
from ckanext.retailarea.harvesters.page import GATHERED, Job, PageImport, Pending, job_error

if TYPE_CHECKING:
    from ckanext.retailarea.harvesters.base import RetailAreaHarvester
    from ckanext.retailarea.harvesters.source_config import SourceConfig

log = logging.getLogger(__name__)


class Gather:
    def __init__(self, harvester: RetailAreaHarvester, job: Any, cfg: SourceConfig):
        self.harvester, self.job, self.cfg = harvester, job, cfg
        self.known = _known(job.source.id)
        self.seen: set[str] = set()
        self.complete = True
        self.queued: list[str] = []
        self.progress = progress.Progress("gather", job.source.title or job.source.url)
        self.batch = config.harvest_import_in_gather() and not harvester.wants_details()
        user = harvester._get_user_name()
        self.shared = Job(job, cfg, importer.source_of(job.source), user, model.User.get(user))
        self.page = PageImport(self.shared, self.progress, self.batch)
        self.pending: list[Pending] = []

    def run(self) -> list[str]:
        try:
            self._pages()
        except (http.FetchError, paging.PageError) as error:
            self.complete = False
            self.job_error(f"Gather stopped: {error}. Records harvested so far are kept; "
                           "nothing is withdrawn.")
        except Exception as error:
            # Earlier pages are committed with their harvest objects; letting this escape
            # would make ckanext-harvest delete those objects and orphan their datasets.
            log.exception("harvest gather %s failed", self.job.source.url)
            self.page.abandon()
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
            self.page = PageImport(self.shared, self.progress, self.batch)
            self.pending = []
            for item in items:
                self._take(item, page_url)
            parallel.import_page(self.page, self.pending)
            self.page.commit()
            self.batch = self.page.batch
            self.queued += self.page.queued

    def _take(self, item: Any, page_url: str) -> None:
        quick = self.harvester.quick_key(item)
        digest = None
        if quick is not None:
            guid, fingerprint = quick
            known = self.known.get(guid)
            same, digest = planner.unchanged_quickly(guid, fingerprint, self.cfg, known)
            identifier = self.harvester.identifier_of(item)
            if same and not self.seen & {guid, identifier}:
                # Unchanged: not even parsed into a record.
                self.seen.update(k for k in (guid, identifier) if k)
                self.page.unchanged(guid, known)
                return
        try:
            record = self.harvester.record(item, page_url, self.cfg)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # Without an id we cannot tell which dataset it was: no withdrawals this time.
            self.complete = False
            self.page.error(f"unreadable-{uuid.uuid4().hex[:8]}",
                            f"Record on {page_url} could not be read: {error}")
            return
        twice = planner.duplicate(record, self.seen, page_url)
        if twice is not None:
            self.page.error(twice.guid, twice.message or "Duplicate record")
            return
        self.seen.update(k for k in (record.original_id, record.identifier) if k)
        self._act(planner.decide(record, self.cfg, self.known.get(record.original_id),
                                 digest))

    def _act(self, decision: planner.Decision) -> None:
        guid, known = decision.guid, decision.known
        if decision.kind == planner.WITHDRAW:
            self.page.queue(guid, None, known, "withdraw")
            self.progress.tick("withdrawn (non-public)")
        elif decision.kind == planner.ERROR:
            self.page.error(guid, decision.message or "Not harvested")
        elif decision.kind == planner.UNCHANGED:
            self.page.unchanged(guid, known)
        elif self.batch:
            self.pending.append(_pending(decision))
        else:
            self.page.take(_pending(decision))

    def job_error(self, message: str) -> None:
        job_error(self.job, message)


def _pending(decision: planner.Decision) -> Pending:
    """A new or changed record to import, as the planner decided it."""
    if decision.record is None or decision.text is None or decision.digest is None:
        raise ValueError(f"the planner gave {decision.guid} nothing to import")
    return Pending(decision.guid, decision.record, decision.text, decision.digest,
                   decision.known)


def _release(object_ids: list[str]) -> None:
    """Make the gathered objects WAITING, just before ckanext-harvest queues them."""
    for start in range(0, len(object_ids), 1000):
        model.Session.query(HarvestObject).filter(
            HarvestObject.id.in_(object_ids[start:start + 1000]),
            HarvestObject.state == GATHERED,
        ).update({"state": "WAITING"}, synchronize_session=False)
    model.Session.commit()


def _known(source_id: str) -> dict[str, dict[str, Any]]:
    """guid -> package id and content hash of the datasets this source imported before
    and that still exist."""
    digest = aliased(HarvestObjectExtra)
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
