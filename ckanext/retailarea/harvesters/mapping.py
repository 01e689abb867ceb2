"""A harvested :class:`Record` -> a dataset of our schema, with every unmapped value noted.

Values are mapped in this order: the source config's map (``theme_map``, ``license_map``,
...), then our own codes and URIs (EU vocabularies, DCAT-US ``accessLevel``, common
frequency words), then nothing: the value is reported as unmapped and left out, or replaced
by the source's default where the field is required (``theme``).

Access is never downgraded: an access statement we cannot map becomes ``non_public``, so
the record is withheld, and a restricted record without purposes is an error for that
record, not a public dataset. Other extensions adjust the result through
:class:`~ckanext.retailarea.harvesters.interfaces.IRetailAreaHarvestMapping`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import nh3

from ckanext.retailarea import vocab
from ckanext.retailarea.dcat import fallbacks
from ckanext.retailarea.dcat.profiles import geometry
from ckanext.retailarea.dcat.profiles import mapping as dcat_mapping
from ckanext.retailarea.harvesters.interfaces import IRetailAreaHarvestMapping
from ckanext.retailarea.harvesters.record import Record
from ckanext.retailarea.harvesters.source_config import SourceConfig

PUBLIC, RESTRICTED, NON_PUBLIC = "public", "restricted", "non_public"
DCAT_US_ACCESS = {"public": PUBLIC, "restricted public": RESTRICTED,
                  "non-public": NON_PUBLIC}
FREQUENCY_WORDS = {
    "continuous": "CONT", "hourly": "HOURLY", "daily": "DAILY", "dagelijks": "DAILY",
    "perdag": "DAILY", "weekly": "WEEKLY", "wekelijks": "WEEKLY", "perweek": "WEEKLY",
    "monthly": "MONTHLY", "maandelijks": "MONTHLY", "permaand": "MONTHLY",
    "quarterly": "QUARTERLY", "perkwartaal": "QUARTERLY", "annual": "ANNUAL",
    "annually": "ANNUAL", "yearly": "ANNUAL", "jaarlijks": "ANNUAL", "perjaar": "ANNUAL",
    "irregular": "IRREG", "onregelmatig": "IRREG", "eenmalig": "NEVER", "never": "NEVER",
    "r/pt1h": "HOURLY", "r/p1d": "DAILY", "r/p1w": "WEEKLY", "r/p2w": "BIWEEKLY",
    "r/p1m": "MONTHLY", "r/p3m": "QUARTERLY", "r/p4m": "ANNUAL_3", "r/p6m": "ANNUAL_2",
    "r/p1y": "ANNUAL", "r/p2y": "BIENNIAL", "r/p3y": "TRIENNIAL", "r/p10y": "DECENNIAL",
    # DCAT-AR (datos.gob.ar): twice a month, and "now and then"
    "r/p0.5m": "MONTHLY_2", "eventual": "IRREG",
    # CBS StatLine
    "tweemaalperjaar": "ANNUAL_2", "tweemaalperweek": "WEEKLY_2", "stopgezet": "NEVER",
}
LICENCE_WORDS = {
    "cc by 4.0": "cc-by", "cc-by-4.0": "cc-by", "cc-by 4.0": "cc-by", "cc_by_4_0": "cc-by",
    "creative commons attribution 4.0": "cc-by", "cc0": "cc-zero", "cc0 1.0": "cc-zero",
    "cc0-1.0": "cc-zero", "cc0_10": "cc-zero", "public domain": "other-pd",
    "cc by-sa 4.0": "cc-by-sa", "cc-by-sa-4.0": "cc-by-sa", "odbl": "odc-odbl",
    "odc-odbl": "odc-odbl", "open database license (odbl)": "odc-odbl",
    # Socrata's licence names
    "creative commons attribution 4.0 international": "cc-by",
    "creative commons 1.0 universal (public domain dedication)": "cc-zero",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TAG_JUNK = re.compile(r"[^\w \-.]", re.UNICODE)
_YEAR = re.compile(r"^\d{4}$")


class RecordError(ValueError):
    """This record cannot become a dataset; the message says what the steward can do."""


@dataclass(frozen=True)
class Source:
    """The harvest source the record came from."""

    id: str
    url: str
    owner_org: str | None


@dataclass
class Unmapped:
    """Values a record had that the mapping could not place, as (field, value, hint)."""

    items: list[tuple[str, str, str]] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    # The stand-ins the DCAT export will use (dcat/fallbacks.py): notes apart from these.
    fallbacks: list[str] = field(default_factory=list)

    def add(self, name: str, value: Any, hint: str) -> None:
        item = (name, str(value)[:200], hint)
        if item not in self.items:
            self.items.append(item)

    def messages(self) -> list[str]:
        return [f"Unmapped {name} {value!r}: {hint}"
                for name, value, hint in self.items] + self.others


def access_level(record: Record, cfg: SourceConfig, unmapped: Unmapped) -> str:
    """Our access code for the record; unknown statements map to ``non_public``."""
    own = record.fields.get("access_level")
    raw = record.access if record.access not in (None, "") else own
    if raw in (None, ""):
        return cfg.default_access_level
    key = str(raw).strip().lower()
    found = (cfg.access_level_map.get(key) or DCAT_US_ACCESS.get(key)
             or vocab.from_uri("access_level", str(raw)))
    if found:
        return found
    unmapped.add("access level", raw, "withheld as non-public; map it in access_level_map")
    return NON_PUBLIC


def to_package(record: Record, cfg: SourceConfig, source: Source,
               unmapped: Unmapped) -> dict[str, Any]:
    """The package dict for package_create/update; RecordError when it cannot be one."""
    level = access_level(record, cfg, unmapped)
    if level == NON_PUBLIC:
        raise RecordError("non-public at the source: not harvested")
    if level == RESTRICTED:
        record = record.metadata_only()
    dataset_type, type_fields = _dataset_type(record, cfg)
    package: dict[str, Any] = {
        "type": dataset_type,
        "title": record.title.strip()[:500],
        "notes": plain_text(record.notes),
        "tags": [{"name": t} for t in _tags(record.tags)],
        "license_id": _licence(record, cfg, unmapped),
        "url": _http_url(record.page_url),
        "owner_org": source.owner_org,
        "theme": _themes(record, cfg, unmapped),
        "frequency": _frequency(record.frequency, cfg, unmapped),
        "access_level": level,
        "in_series": record.fields.get("in_series"),
        "resources": _resources(record, unmapped),
        "extras": _extras(record),
        **_temporal(record, unmapped),
        **_privacy(record, level, cfg),
        **_provenance(record, source),
        **_contact(record, unmapped),
        **_spatial(record, unmapped),
        **_carried(record, dataset_type),
        **type_fields,
    }
    package["groups"] = _groups(record, cfg, unmapped)
    unmapped.others.extend(n for n in record.reading_notes if n not in unmapped.others)
    unmapped.fallbacks = [f.note for f in fallbacks.of(package)]
    for plugin in p.PluginImplementations(IRetailAreaHarvestMapping):
        package = plugin.retailarea_harvest_package(package, record, cfg)
    return {k: v for k, v in package.items() if v not in (None, "", [])}


def plain_text(html: str | None) -> str:
    """Source descriptions are often HTML; our notes are Markdown, so keep text and line
    breaks only (nh3 removes every tag and script)."""
    if not html:
        return ""
    text = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?>", "\n", html)
    text = nh3.clean(text, tags=set())
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("&nbsp;", " ").replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _tags(tags: list[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        clean = _TAG_JUNK.sub("", str(tag)).strip()[:100]
        if len(clean) >= 2 and clean.lower() not in {t.lower() for t in out}:
            out.append(clean)
    return out


def _http_url(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _dataset_type(record: Record, cfg: SourceConfig) -> tuple[str, dict[str, Any]]:
    own = record.fields.get("type")
    if own and own != "dataset":
        return own, {}
    words = {
        "keyword": {t.strip().lower() for t in record.tags},
        "category": {c.strip().lower() for c in record.categories},
        "theme": {t.strip().lower() for t in record.themes},
    }
    title = record.title.lower()
    for rule in cfg.type_rules:
        if rule["match"] == "title":
            matched = rule["value"] in title
        else:
            matched = rule["value"] in words[rule["match"]]
        if matched:
            return rule["type"], dict(rule["fields"])
    return "dataset", {}


def _licence(record: Record, cfg: SourceConfig, unmapped: Unmapped) -> str:
    """The source's licence text or URL mapped; else the CKAN licence id a CKAN source
    gave beside it (``fields["license_id"]``), if this site knows that id."""
    raw, own = record.licence, record.fields.get("license_id")
    found = licence_of(raw, cfg) if raw else None
    if not found and own and model.Package.get_license_register().get(own) is not None:
        return own
    if found or not raw:
        return found or "notspecified"
    unmapped.add("licence", raw, "set as 'notspecified'; map it in license_map")
    return "notspecified"


def licence_of(raw: str, cfg: SourceConfig) -> str | None:
    """The CKAN licence id of a licence text or URL; URLs compare without scheme (``http``
    and ``https``), ``www.`` and trailing slash."""
    key = raw.strip().lower()
    found = (cfg.license_map.get(key) or LICENCE_WORDS.get(key)
             or dcat_mapping.licence_id(raw.strip()))
    if found:
        return found
    register = model.Package.get_license_register()
    if register.get(raw.strip()) is not None:
        return raw.strip()
    for license_id, licence in register.items():
        if key == licence.title.lower() or (
                licence.url and _plain_url(key) == _plain_url(licence.url)):
            return license_id
    return None


def _plain_url(url: str) -> str:
    value = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return value.rstrip("/")


def _themes(record: Record, cfg: SourceConfig, unmapped: Unmapped) -> list[str]:
    codes: set[str] = set()
    for key, values in (("theme_map", record.themes), ("category_map", record.categories)):
        table = getattr(cfg, key)
        for raw in values:
            found = table.get(str(raw).strip().lower()) or _theme_code(str(raw))
            if found:
                codes.update(found)
            else:
                unmapped.add("theme" if key == "theme_map" else "category", raw,
                             f"map it in {key}")
    if not codes:
        codes.add(cfg.default_theme)
    return dcat_mapping.vocabulary_order("theme", codes)


def _theme_code(raw: str) -> list[str] | None:
    if raw in vocab.codes("theme"):
        return [raw]
    code = vocab.from_uri("theme", raw)
    return [code] if code else None


def _frequency(raw: str | None, cfg: SourceConfig, unmapped: Unmapped) -> str | None:
    if not raw:
        return None
    key = str(raw).strip().lower()
    found = (cfg.frequency_map.get(key) or FREQUENCY_WORDS.get(key.replace(" ", ""))
             or (raw if raw in vocab.codes("frequency") else None)
             or vocab.from_uri("frequency", str(raw)))
    if not found:
        unmapped.add("frequency", raw, "left empty; map it in frequency_map")
    return found


def _temporal(record: Record, unmapped: Unmapped) -> dict[str, Any]:
    start, end = _day(record.temporal_start, "start"), _day(record.temporal_end, "end")
    for raw, value in ((record.temporal_start, start), (record.temporal_end, end)):
        if raw and not value:
            unmapped.add("period", raw, "not a date (YYYY, YYYY-MM-DD or a date-time)")
    if start and end and start > end:
        unmapped.add("period", f"{start}/{end}", "ends before it starts; left out")
        return {}
    return {"temporal_start": start, "temporal_end": end}


def _day(value: str | None, side: str) -> str | None:
    text = str(value or "").strip()
    if _YEAR.match(text):
        return f"{text}-01-01" if side == "start" else f"{text}-12-31"
    return dcat_mapping.day(text)


def _privacy(record: Record, level: str, cfg: SourceConfig) -> dict[str, Any]:
    """Purposes and legal basis as the source states them; a restricted dataset needs
    purposes (ours or the source's default) and personal data a legal basis."""
    own = record.fields
    purposes = [p for p in own.get("permitted_purposes") or [] if p in vocab.codes("purpose")]
    if level == RESTRICTED and not purposes:
        purposes = list(cfg.default_purposes)
        if not purposes:
            raise RecordError("restricted at the source but no permitted purposes: set "
                              "default_purposes in the source configuration")
    personal = own.get("contains_personal_data") is True
    basis = own.get("legal_basis") if own.get("legal_basis") in vocab.codes(
        "legal_basis") else None
    if personal and not basis:
        raise RecordError("personal data without a legal basis (GDPR art. 6): not harvested")
    return {
        "permitted_purposes": purposes,
        "contains_personal_data": personal,
        "legal_basis": basis,
        "access_reason": own.get("access_reason"),
        "usage_conditions": own.get("usage_conditions"),
        "retention_period": own.get("retention_period"),
        "temporal_resolution": own.get("temporal_resolution"),
        "conforms_to": own.get("conforms_to"),
    }


def _provenance(record: Record, source: Source) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()
    return {
        "harvest_source": source.id,
        "harvest_original_id": record.original_id,
        "harvest_original_uri": record.original_uri,
        "harvest_last_harvested": now,
        "harvest_source_modified": str(record.modified)[:100] if record.modified else None,
    }


def _contact(record: Record, unmapped: Unmapped) -> dict[str, Any]:
    email = (record.maintainer_email or "").removeprefix("mailto:").strip()
    if email and not _EMAIL.match(email):
        unmapped.add("contact email", email, "not an email address; left out")
        email = ""
    return {"maintainer": record.maintainer, "maintainer_email": email}


def _spatial(record: Record, unmapped: Unmapped) -> dict[str, Any]:
    if not record.spatial:
        return {}
    from ckanext.retailarea.logic.validators import retailarea_geojson

    text = geometry.as_text(record.spatial) or geometry.from_wkt(record.spatial)
    text = _unwrapped(text) if text else None
    try:
        return {"spatial": retailarea_geojson(text)} if text else _bad_spatial(record, unmapped)
    except tk.Invalid:
        return _bad_spatial(record, unmapped)


def _unwrapped(text: str) -> str:
    """A GeometryCollection (EnviDat writes one around a single point) as the one
    geometry it holds, or as the Multi- geometry of its parts when they share a type;
    anything else as it is."""
    shape = json.loads(text)
    if not isinstance(shape, dict) or shape.get("type") != "GeometryCollection":
        return text
    parts = [g for g in shape.get("geometries") or [] if isinstance(g, dict)]
    kinds = {g.get("type") for g in parts}
    if len(parts) == 1:
        return json.dumps(parts[0])
    if len(kinds) == 1 and kinds <= {"Point", "Polygon", "LineString"}:
        return json.dumps({"type": f"Multi{kinds.pop()}",
                           "coordinates": [g.get("coordinates") for g in parts]})
    return text


def _bad_spatial(record: Record, unmapped: Unmapped) -> dict[str, Any]:
    unmapped.add("spatial coverage", record.spatial, "not a valid GeoJSON geometry; left out")
    return {}


def _carried(record: Record, dataset_type: str) -> dict[str, Any]:
    """Type-specific fields a catalog running this extension sent, for this type only."""
    names = dcat_mapping.TYPE_FIELDS.get(dataset_type, {}).keys()
    out = {name: record.fields[name] for name in names if record.fields.get(name)}
    if dataset_type == "events" and record.fields.get("language"):
        out["language"] = record.fields["language"]
    return out


def _resources(record: Record, unmapped: Unmapped) -> list[dict[str, Any]]:
    out = []
    for resource in record.resources:
        url = _http_url(resource.get("url"))
        if not url:
            unmapped.add("resource URL", resource.get("url"), "only http(s) links are kept")
            continue
        out.append({k: v for k, v in {
            "url": url,
            "name": (resource.get("name") or "")[:300],
            "description": plain_text(resource.get("description")),
            "format": resource.get("format") or "",
        }.items() if v})
    return out


def _extras(record: Record) -> list[dict[str, str]]:
    extras = []
    if record.publisher:
        extras.append({"key": "publisher_name", "value": record.publisher[:300]})
    if record.fields.get("publisher_uri"):
        extras.append({"key": "publisher_uri", "value": record.fields["publisher_uri"]})
    return extras


def _groups(record: Record, cfg: SourceConfig, unmapped: Unmapped) -> list[dict[str, str]]:
    names = [cfg.retail_area] if cfg.retail_area else []
    for area in record.fields.get("retail_areas") or []:
        group = model.Group.get(area.get("name") or "")
        if group is not None and group.type == "retail-area" and group.state == "active":
            names.append(group.name)
        else:
            unmapped.add("retail area", area.get("name"), "no local retail area of that name")
    return [{"name": name} for name in dict.fromkeys(names)]


def as_json_list(value: Any) -> list[Any]:
    """A list field as ckanext-dcat may leave it: a list or a JSON list string."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.startswith("["):
        try:
            return json.loads(value)
        except ValueError:
            return []
    return [value] if value else []
