"""The harvest pipeline all our source types share (ckanext-harvest gather/fetch/import).

A source type only says how to page through its catalog (:meth:`pages`) and how one of its
records reads as a :class:`Record` (:meth:`record`); optionally how to fetch a record's
details (:meth:`details`). This class does the rest, the same way for every source:

- **gather** (``gather.py``) reads page after page (one page in memory at a time), turns
  each item into a Record and skips records whose content hash equals the one stored at
  the last import. New and changed records are imported right there, one transaction per
  page; for source types with a fetch stage (or with
  ``ckanext.retailarea.harvest.import_in_gather`` off) they become harvest objects for the
  fetch queue instead. A record that fails is reported on its own harvest object and the
  gather goes on; a page that fails ends the gather with a job error and keeps everything
  harvested so far.
- **deletions** (see ``withdraw.py``): only after a gather without errors, and only when the
  source shrank by no more than ``deletion_guard_ratio``.
- **import** (``page.py``: a page's records in the gather stage, one queued object in the
  import stage, the same way) maps the Record (``mapping.py``), creates or updates the
  dataset with provenance fields (``importer.py``), notes every unmapped value on the
  harvest object, commits, and indexes the dataset once its object knows it.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import ckan.model as model
from ckanext.harvest.harvesters.base import HarvesterBase

from ckanext.retailarea.harvesters import gather as gathering
from ckanext.retailarea.harvesters import (
    http,
    importer,
    page,
    planner,
    progress,
    source_config,
    withdraw,
)
from ckanext.retailarea.harvesters.paging import PageError
from ckanext.retailarea.harvesters.record import Record

log = logging.getLogger(__name__)
Item = Any


class RetailAreaHarvester(HarvesterBase):
    """Base of our harvesters; subclasses implement ``info``, ``pages`` and ``record``."""

    # Source-config keys a source type accepts besides the shared ones, with their type.
    EXTRA_KEYS: dict[str, type] = {"page_size": int}

    # --- what a source type implements ------------------------------------------------

    def pages(self, url: str, cfg: source_config.SourceConfig
              ) -> Iterator[tuple[str, list[Item]]]:
        """Yield ``(page_url, items)`` for each catalog page; raise FetchError/PageError."""
        raise NotImplementedError

    def record(self, item: Item, page_url: str, cfg: source_config.SourceConfig) -> Record:
        """The Record of one catalog item; raise ValueError for an unusable item."""
        raise NotImplementedError

    def details(self, record: Record, cfg: source_config.SourceConfig) -> Record:
        """The record completed with what only a second request gives (fetch stage)."""
        return record

    def wants_details(self) -> bool:
        """Whether this source type has a fetch stage of its own (``details``)."""
        return type(self).details is not RetailAreaHarvester.details

    def quick_key(self, item: Item) -> tuple[str, str] | None:
        """``(original id, fingerprint)`` of an item when both are cheaper to get than the
        Record (an RDF dataset's triples): an unchanged item is then skipped unparsed."""
        return None

    def identifier_of(self, item: Item) -> str | None:
        """The item's own identifier beside its id (a DCAT dct:identifier), for the
        duplicate rule when the item is skipped unparsed."""
        return None

    # --- ckanext-harvest ----------------------------------------------------------------

    def validate_config(self, config: str | None) -> str | None:
        source_config.parse(config, self.EXTRA_KEYS)
        return config

    def config_of(self, source: Any) -> source_config.SourceConfig:
        return source_config.parse(source.config, self.EXTRA_KEYS)

    def gather_stage(self, harvest_job: Any) -> list[str]:
        try:
            cfg = self.config_of(harvest_job.source)
        except source_config.ConfigError as error:
            self._save_gather_error(f"Source configuration: {error}", harvest_job)
            return []
        return gathering.Gather(self, harvest_job, cfg).run()

    def fetch_stage(self, harvest_object: Any) -> bool | str:
        if harvest_object.report_status is not None:
            return _replayed(harvest_object)
        if _extra(harvest_object, "status") in ("delete", "withdraw") or not self.wants_details():
            return True
        try:
            cfg = self.config_of(harvest_object.source)
            record = self.details(Record.from_json(harvest_object.content), cfg)
        except (http.FetchError, PageError, ValueError) as error:
            self._save_object_error(f"Details: {error}", harvest_object, "Fetch")
            return False
        stored = planner.access(record, cfg).record
        harvest_object.content = stored.as_json() if stored else None
        if record.reading_notes:
            page.forget_hash(harvest_object.id)  # read again, completely we hope, next time
        harvest_object.save()
        return True

    def import_stage(self, harvest_object: Any) -> bool | str:
        if getattr(harvest_object, REPLAYED, False):
            return True
        label = harvest_object.source.title or harvest_object.source.url
        status = _extra(harvest_object, "status")
        if status in ("delete", "withdraw"):
            result = withdraw.withdraw(harvest_object, self._get_user_name())
            progress.import_tick(harvest_object.harvest_job_id, label, "withdrawn")
            return result
        try:
            result = self._import(harvest_object)
        except Exception as error:  # one broken record must not stop the fetch consumer
            log.exception("harvest import of %s failed", harvest_object.guid)
            model.Session.rollback()
            self._save_object_error(f"Unexpected error: {type(error).__name__}: "
                                    f"{str(error)[:300]}", harvest_object, "Import")
            result = False
        progress.import_tick(harvest_object.harvest_job_id, label,
                             "errored" if result is False else "imported")
        return result

    # --- import --------------------------------------------------------------------------

    def _import(self, obj: Any) -> bool | str:
        if not obj.content:
            return self._non_public(obj)
        cfg = self.config_of(obj.source)
        found = planner.access(Record.from_json(obj.content), cfg)
        if found.record is None:
            return self._non_public(obj)
        user = self._get_user_name()
        job = page.Job(obj.job, cfg, importer.source_of(obj.source), user, None)
        saved, message = page.import_object(obj, job, found.record)
        if message is not None:
            self._save_object_error(message, obj, "Import")
        return saved

    def _non_public(self, obj: Any) -> bool | str:
        """A record the source marks non-public: never stored; an earlier copy of it is
        withdrawn now (that is the source's explicit word, not a guess)."""
        obj.content = None
        if obj.package_id:
            return withdraw.withdraw(obj, self._get_user_name())
        self._save_object_error("Withheld: non-public at the source. Not harvested.",
                                obj, "Import")
        return False


REPLAYED = "retailarea_replayed"


def _replayed(obj: Any) -> bool | str:
    """A second delivery of a fetch message that was handled already: `ckan harvester
    run` resends WAITING objects the gather has not queued yet (so a long gather queues
    them twice), and requeues the message of a consumer that died before its ack. Keep
    the first outcome (ckanext-harvest derives the same report status again) instead of
    fetching and importing the record once more."""
    setattr(obj, REPLAYED, True)
    return {"errored": False, "not modified": "unchanged"}.get(obj.report_status, True)


def _extra(obj: Any, key: str) -> str | None:
    return next((e.value for e in obj.extras if e.key == key), None)
