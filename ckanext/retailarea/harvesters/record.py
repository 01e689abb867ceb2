"""One harvested record in a shape shared by every source type, before mapping.

Each harvester turns its source's record (an OpenDataSoft dataset, a Socrata view, a CBS
OData entity, a DCAT dataset) into a :class:`Record`; ``mapping.py`` then turns a Record into
a dataset of our schema. The Record is what a harvest object stores, what the content hash
covers and what a steward sees as "local content" of a harvest object, so a restricted
record is stored without its download URLs and a non-public one is never stored.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

# Bump when the mapping of an unchanged record changes, so the next harvest rewrites it.
MAPPING_VERSION = "3"


@dataclasses.dataclass
class Record:
    original_id: str
    title: str
    original_uri: str | None = None
    # The source's own identifier when it is not the id (a DCAT dataset's dct:identifier
    # beside its URI): two records sharing it are one dataset twice.
    identifier: str | None = None
    page_url: str | None = None  # the dataset's page on the source: the access URL
    notes: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    licence: str | None = None
    themes: list[str] = dataclasses.field(default_factory=list)
    categories: list[str] = dataclasses.field(default_factory=list)
    frequency: str | None = None
    temporal_start: str | None = None
    temporal_end: str | None = None
    spatial: str | None = None
    publisher: str | None = None
    maintainer: str | None = None
    maintainer_email: str | None = None
    access: str | None = None  # the source's own access statement, unmapped
    modified: str | None = None
    resources: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    # Values already in our schema's codes (a catalog running this extension sends them):
    # type, permitted_purposes, legal_basis, contains_personal_data, retail areas, ...
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    # What could not be read about the record (a details request that failed): noted on
    # its harvest object, and the record is read again at the next harvest.
    reading_notes: list[str] = dataclasses.field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False,
                          default=str)

    @classmethod
    def from_json(cls, text: str) -> Record:
        data = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def metadata_only(self) -> Record:
        """A copy without download URLs: each resource points at the source's page."""
        access_url = self.page_url or self.original_uri
        resources = [
            {k: v for k, v in {**r, "url": access_url}.items()
             if k not in ("download_url", "access_url")}
            for r in self.resources
        ] if access_url else []
        return dataclasses.replace(self, resources=resources)


def content_hash(record_json: str, config_fingerprint: str) -> str:
    """sha256 over the normalised record, the mapping config and the mapping version: a
    change in any of them makes the record 'changed'."""
    digest = hashlib.sha256()
    for part in (MAPPING_VERSION, config_fingerprint, record_json):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
