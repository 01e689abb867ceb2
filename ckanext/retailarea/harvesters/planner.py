"""What to do with a harvested record; decisions only, nothing is written here.

Every stage asks the same questions the same way: the gather for each catalog item, the
fetch stage after a record's details, the import stage before saving. The answer is a
:class:`Decision`: ``unchanged``, ``new``, ``changed``, ``withdraw`` (the source marks a
record we hold as non-public) or ``error`` (withheld, a duplicate), with the record as it
may be stored: without download URLs when restricted, not at all when non-public.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ckanext.retailarea.harvesters import mapping
from ckanext.retailarea.harvesters.record import Record, content_hash
from ckanext.retailarea.harvesters.source_config import SourceConfig

UNCHANGED, NEW, CHANGED, WITHDRAW, ERROR = "unchanged", "new", "changed", "withdraw", "error"


@dataclasses.dataclass(frozen=True)
class Decision:
    kind: str
    guid: str
    known: dict[str, Any] | None = None
    record: Record | None = None  # as it may be stored
    text: str | None = None  # its JSON
    digest: str | None = None
    message: str | None = None


@dataclasses.dataclass(frozen=True)
class Access:
    """A record's access level and the record as it may be stored (None: not at all)."""
    level: str
    record: Record | None
    unmapped: mapping.Unmapped


def access(record: Record, cfg: SourceConfig) -> Access:
    unmapped = mapping.Unmapped()
    level = mapping.access_level(record, cfg, unmapped)
    if level == mapping.NON_PUBLIC:
        return Access(level, None, unmapped)
    if level == mapping.RESTRICTED:
        record = record.metadata_only()
    return Access(level, record, unmapped)


def unchanged_quickly(guid: str, fingerprint: str, cfg: SourceConfig,
                      known: dict[str, Any] | None) -> tuple[bool, str]:
    """Whether an item whose fingerprint is cheaper than its record is unchanged, and the
    content hash of that fingerprint."""
    digest = content_hash(fingerprint, cfg.fingerprint)
    return bool(known and known["hash"] == digest), digest


def duplicate(record: Record, seen: set[str], page_url: str) -> Decision | None:
    """One rule for every source type: a record whose id, or whose own identifier beside
    it (a DCAT dataset's dct:identifier), came earlier in this gather is reported."""
    for key in dict.fromkeys(k for k in (record.original_id, record.identifier) if k):
        if key in seen:
            return Decision(ERROR, record.original_id, message=(
                f"Duplicate id {key!r} on {page_url}: the first record with this id is "
                "harvested, this one is ignored"))
    return None


def decide(record: Record, cfg: SourceConfig, known: dict[str, Any] | None,
           digest: str | None = None) -> Decision:
    """The decision for a record read from the catalog; ``digest`` when the gather
    computed it from a cheaper fingerprint."""
    guid = record.original_id
    found = access(record, cfg)
    if found.record is None:
        if known:
            return Decision(WITHDRAW, guid, known)
        reason = "; ".join(found.unmapped.messages()) or "non-public at the source"
        return Decision(ERROR, guid, message=f"Withheld: {reason}. Not harvested.")
    text = found.record.as_json()
    digest = digest or content_hash(text, cfg.fingerprint)
    if known and known["hash"] == digest:
        return Decision(UNCHANGED, guid, known)
    return Decision(CHANGED if known else NEW, guid, known, found.record, text, digest)
