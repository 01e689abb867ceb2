"""The stand-ins the DCAT export uses where a dataset lacks what DCAT-AP requires
(docs/federation.md, "Fallbacks for what DCAT-AP requires"), named from the dataset dict
with the same conditions as ``profiles/serialize.py``:

- ``description``: no ``notes`` (or only blanks): the title is the ``dct:description``;
- ``contact``: no contact, maintainer or author: the publishing organization is the
  ``dcat:contactPoint``;
- ``licence``: no licence (or "not specified"): the distributions state "License not
  specified";
- ``access_url``: a resource without a usable absolute URL: its page is the
  ``dcat:accessURL`` (restricted datasets always point at their page: not a stand-in).

A harvest records them as notes of the dataset's harvest object (shown on the job page);
the dataset page tells its editors.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ckanext.retailarea.dcat.profiles import serialize

_CONTACT_FIELDS = ("contact_uri", "contact_name", "contact_email", "maintainer",
                   "maintainer_email", "author", "author_email")
# The harvest notes are stored once, in English, like the other mapping notes.
NOTES = {
    "description": "DCAT-AP fallback: no description; the export states the title as "
                   "dct:description",
    "contact": "DCAT-AP fallback: no contact; the export states the publishing "
               "organization as dcat:contactPoint",
    "licence": "DCAT-AP fallback: no licence; the distributions state 'License not "
               "specified'",
    "access_url": "DCAT-AP fallback: a resource without a usable URL; the export states "
                  "its page as dcat:accessURL",
}


@dataclass(frozen=True)
class Fallback:
    key: str
    resource: str | None = None  # the resource's name, for ``access_url``

    @property
    def note(self) -> str:
        return NOTES[self.key] + (f" ({self.resource})" if self.resource else "")


def of(dataset: dict[str, Any]) -> list[Fallback]:
    """The stand-ins the export of ``dataset`` uses; none for a dataset not exported."""
    if not serialize.exportable(dataset):
        return []
    found = []
    if not (dataset.get("notes") or "").strip():
        found.append(Fallback("description"))
    if not any(str(dataset.get(field) or "").strip() for field in _CONTACT_FIELDS):
        found.append(Fallback("contact"))
    resources = dataset.get("resources") or []
    if resources and dataset.get("license_id") in (None, "", "notspecified"):
        found.append(Fallback("licence"))
    if dataset.get("access_level") == "public":
        found += [Fallback("access_url", r.get("name") or r.get("id") or "")
                  for r in resources if not _usable(r)]
    return found


def _usable(resource: dict[str, Any]) -> bool:
    return bool(serialize.absolute_url(resource.get("access_url"))
                or serialize.absolute_url(resource.get("url")))
