"""Progress of a harvest run: counts and rate in the log, and rates for the job page.

The log lines appear in ``ckan harvester run-test`` and in the gather/fetch consumers'
output; the job page computes its rates from the harvest tables, so it shows the same for
every harvester, ours or stock, whichever process ran it.
"""
from __future__ import annotations

import logging
import time
from typing import Any

import ckan.model as model
import sqlalchemy as sa
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

log = logging.getLogger("ckanext.retailarea.harvesters")
LOG_EVERY_SECONDS = 5.0


class Progress:
    """Counts records of one stage and logs the count and rate every few seconds."""

    def __init__(self, stage: str, label: str, quiet: bool = False):
        self.stage, self.label, self.quiet = stage, label, quiet
        self.started = self.logged = time.monotonic()
        self.total = 0
        self.counts: dict[str, int] = {}

    def tick(self, outcome: str, n: int = 1) -> None:
        self.total += n
        self.counts[outcome] = self.counts.get(outcome, 0) + n
        if not self.quiet and time.monotonic() - self.logged >= LOG_EVERY_SECONDS:
            self.log()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.total / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        return (f"{self.stage} {self.label}: {self.total} records in "
                f"{time.monotonic() - self.started:.1f} s, {self.rate():.1f} records/s"
                + (f" ({counts})" if counts else ""))

    def log(self) -> None:
        self.logged = time.monotonic()
        log.info("harvest %s", self.summary())


# One import counter per job in this consumer process, so a fetch consumer that imports
# thousands of objects logs its pace without a log line per object.
_imports: dict[str, Progress] = {}


def import_tick(job_id: str, source_label: str, outcome: str) -> None:
    progress = _imports.get(job_id)
    if progress is None:
        _imports.clear()  # one job at a time per consumer is the common case
        progress = _imports[job_id] = Progress("import", source_label)
    progress.tick(outcome)


def job_rates(job_id: str) -> dict[str, Any]:
    """Counts and records/s of a job's gather and import, from the harvest tables."""
    job = model.Session.get(HarvestJob, job_id)
    if job is None:
        return {}
    objects = model.Session.query(
        sa.func.count(HarvestObject.id),
        sa.func.min(HarvestObject.import_started),
        sa.func.max(HarvestObject.import_finished),
        sa.func.count(HarvestObject.import_finished),
    ).filter(HarvestObject.harvest_job_id == job_id).one()
    gathered, first_import, last_import, imported = objects
    return {
        "gathered": gathered,
        "gather_seconds": _seconds(job.gather_started, job.gather_finished),
        "gather_rate": _rate(gathered, job.gather_started, job.gather_finished),
        "imported": imported,
        "import_seconds": _seconds(first_import, last_import),
        "import_rate": _rate(imported, first_import, last_import),
    }


def _seconds(start: Any, end: Any) -> float | None:
    return round((end - start).total_seconds(), 1) if start and end else None


def _rate(count: int, start: Any, end: Any) -> float | None:
    seconds = _seconds(start, end)
    return round(count / seconds, 1) if seconds else None


def retailarea_harvest_job_rates(job_id: str) -> dict[str, Any]:
    """Template helper: counts, seconds and records/s of a harvest job's stages."""
    return job_rates(job_id)


def job_notes(job_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """The mapping notes of a job's records (values left unmapped), most frequent first.
    They are not errors: the records were harvested."""
    count = sa.func.count(HarvestObjectExtra.id)
    rows = (
        model.Session.query(HarvestObjectExtra.value, count)
        .join(HarvestObject, HarvestObject.id == HarvestObjectExtra.harvest_object_id)
        .filter(HarvestObject.harvest_job_id == job_id, HarvestObjectExtra.key == "note")
        .group_by(HarvestObjectExtra.value)
        .order_by(count.desc(), HarvestObjectExtra.value)
        .limit(limit)
    )
    return [{"message": message, "count": number} for message, number in rows]


def retailarea_harvest_job_notes(job_id: str) -> list[dict[str, Any]]:
    """Template helper: the most frequent mapping notes of a harvest job."""
    return job_notes(job_id)


def job_fallbacks(job_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The DCAT-AP stand-ins (dcat/fallbacks.py) of the datasets a job wrote, per
    dataset: ``name``, ``title`` and ``notes`` (a list). The records were harvested; the
    export states a stand-in for what they lack."""
    rows = (
        model.Session.query(model.Package.name, model.Package.title,
                            HarvestObjectExtra.value)
        .join(HarvestObject, HarvestObject.id == HarvestObjectExtra.harvest_object_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(HarvestObject.harvest_job_id == job_id,
                HarvestObjectExtra.key == "fallback")
        .order_by(model.Package.name, HarvestObjectExtra.value)
    )
    found: dict[str, dict[str, Any]] = {}
    for name, title, note in rows:
        if name not in found and len(found) >= limit:
            break
        found.setdefault(name, {"name": name, "title": title or name, "notes": []})
        found[name]["notes"].append(note)
    return list(found.values())


def retailarea_harvest_job_fallbacks(job_id: str) -> list[dict[str, Any]]:
    """Template helper: the DCAT-AP stand-ins per dataset of a harvest job."""
    return job_fallbacks(job_id)
