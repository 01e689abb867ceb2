"""Field codes of our dataset schema <-> the URIs and terms the DCAT-AP-NL profile writes.

Lookups only, no graph code: ``serialize`` and ``parse`` share these tables so export and
import cannot drift apart. Codes of the controlled fields come from ``ckanext.retailarea.vocab``;
what DCAT needs beyond those vocabularies (languages, licences, dataset types, table
schemas, media types) is listed here.
"""
from __future__ import annotations

import re
from collections.abc import Set
from typing import TypeGuard

from rdflib import Namespace, URIRef
from rdflib.term import Node

from ckanext.retailarea import vocab

# Our own terms: dataset types, type-specific fields, the retail area link, access reason.
RETAILAREA = Namespace("https://w3id.org/retailarea#")
TABLE_SCHEMA_BASE = "https://w3id.org/retailarea/table-schema/"
DPV = Namespace("https://w3id.org/dpv#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_LANGUAGE = Namespace(EU_AUTHORITY + "language/")
EU_LICENCE = Namespace(EU_AUTHORITY + "licence/")
EU_DATA_THEME_SCHEME = URIRef(EU_AUTHORITY + "data-theme")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

DATASET_TYPES: dict[str, URIRef] = {
    "shop-register": RETAILAREA.ShopRegister,
    "events": RETAILAREA.Events,
    "parking": RETAILAREA.Parking,
    "footfall": RETAILAREA.Footfall,
    "dataset": RETAILAREA.OtherData,
}
DATASET_TYPE_SCHEME = RETAILAREA.DatasetTypes

# Type-specific fields written as plain literals in our namespace: no standard property
# carries them (``language`` is the exception and goes to dct:language).
TYPE_FIELDS: dict[str, dict[str, URIRef]] = {
    "shop-register": {
        "classification_scheme": RETAILAREA.classificationScheme,
        "reference_date": RETAILAREA.referenceDate,
    },
    "events": {"feed_source": RETAILAREA.feedSource},
    "parking": {
        "area_manager_id": RETAILAREA.areaManagerId,
        "standard": RETAILAREA.dataStandard,
    },
    "footfall": {
        "counting_method": RETAILAREA.countingMethod,
        "number_of_sensors": RETAILAREA.numberOfSensors,
    },
}
DATE_FIELDS = {"reference_date"}
INTEGER_FIELDS = {"number_of_sensors"}

# The ``language`` choices of the events schema and their EU language authority codes.
LANGUAGES: dict[str, str] = {"nl": "NLD", "en": "ENG", "de": "DEU", "fr": "FRA"}

# CKAN's default licence ids -> EU licence authority codes. CKAN's cc-by and cc-by-sa carry
# no version; 4.0 is what Dutch governments publish under. Ids without an EU concept
# (other-*, notspecified, uk-ogl) are written as the licence's own URL or a described node.
LICENCES: dict[str, str] = {
    "cc-zero": "CC0",
    "cc-by": "CC_BY_4_0",
    "cc-by-sa": "CC_BYSA_4_0",
    "cc-nc": "CC_BYNC_2_0",
    "odc-by": "ODC_BY",
    "odc-odbl": "ODC_BL",
    "odc-pddl": "ODC_PDDL",
    "gfdl": "GNU_FDL",
}
# Other spellings harvested catalogs use for the same licences (DONL writes Creative
# Commons deed URLs, older EU exports the versionless codes).
_LICENCE_ALIASES: dict[str, str] = {
    "creativecommons.org/publicdomain/zero/1.0": "cc-zero",
    "creativecommons.org/licenses/by/4.0": "cc-by",
    "creativecommons.org/licenses/by-sa/4.0": "cc-by-sa",
    "creativecommons.org/licenses/by-nc/2.0": "cc-nc",
    EU_AUTHORITY.removeprefix("http://") + "licence/cc_by": "cc-by",
    EU_AUTHORITY.removeprefix("http://") + "licence/cc_bysa": "cc-by-sa",
}

# Format spellings CKAN users type that differ from the EU file-type code.
_FORMAT_ALIASES: dict[str, str] = {
    "SHAPEFILE": "SHP",
    "ICAL": "ICS",
    "ICALENDAR": "ICS",
    "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE",
    "RDF": "RDF_XML",
    "NT": "RDF_N_TRIPLES",
    "JSONLD": "JSON_LD",
    "TEXT": "TXT",
}
_MEDIA_TYPE = re.compile(r"^[a-z0-9][\w.+-]*/[\w.+-]+$", re.IGNORECASE)
_DONL_PUBLIC = "dcat.overheid.nl/application-profile/donl/term/publiek"
# Purposes and legal bases in the namespaces of older DPV releases.
_OLD_DPV_PREFIXES = ("http://www.w3.org/ns/dpv#", "https://w3id.org/dpv/dpv-gdpr#")


def _plain(uri: str) -> str:
    """A URI without scheme, trailing slash, Creative Commons ``deed.xx`` page and case."""
    value = re.sub(r"^https?://", "", uri.strip().lower()).rstrip("/")
    return re.sub(r"/(deed|legalcode)(\.[a-z_-]+)?$", "", value)


def day(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date or date-time; None for anything coarser or malformed,
    which our date fields refuse."""
    match = re.match(r"^\d{4}-\d{2}-\d{2}", str(value or "").strip())
    return match.group(0) if match else None


def code_uri(name: str, code: str | None) -> URIRef | None:
    """The URI of ``code`` in vocabulary ``name`` (see ``ckanext.retailarea.vocab``)."""
    found = vocab.uri(name, code) if code else None
    return URIRef(found) if found else None


def code_of(name: str, uri: str | Node) -> str | None:
    """The code of ``uri`` in vocabulary ``name``; also matches the local name of a term
    from an older DPV release (``...dpv-gdpr#A6-1-a``). None when unknown."""
    code = vocab.from_uri(name, str(uri))
    if code:
        return code
    if str(uri).startswith(_OLD_DPV_PREFIXES):
        local = str(uri).rsplit("#", 1)[-1]
        return local if local in vocab.codes(name) else None
    return None


def access_from_uri(uri: str) -> tuple[str | None, str | None]:
    """``(access_level, access_reason)`` of an access-rights term: an EU access right, a
    DONL access-rights term (whose EU access right is its skos:broader) or a bare code."""
    level = vocab.from_uri("access_level", uri)
    if level:
        return level, None
    reason = vocab.from_uri("access_reason", uri)
    if reason:
        return vocab.implied_access_level(reason), reason
    if _plain(uri) == _DONL_PUBLIC:
        return "public", None
    return None, None


def language_uri(code: str) -> URIRef | None:
    return EU_LANGUAGE[LANGUAGES[code]] if code in LANGUAGES else None


def language_code(uri: str | Node) -> str | None:
    eu_code = str(uri).rstrip("/").rsplit("/", 1)[-1].upper()
    return next((code for code, eu in LANGUAGES.items() if eu == eu_code), None)


def licence_uri(license_id: str | None) -> URIRef | None:
    """The EU licence concept of a CKAN licence id, or None when there is none."""
    eu_code = LICENCES.get(license_id or "")
    return EU_LICENCE[eu_code] if eu_code else None


def licence_id(uri: str) -> str | None:
    """The CKAN licence id of an EU licence concept or a known licence URL, or None."""
    by_eu = {_plain(str(EU_LICENCE[eu])): ckan_id for ckan_id, eu in LICENCES.items()}
    plain = _plain(uri)
    return by_eu.get(plain) or _LICENCE_ALIASES.get(plain)


def dataset_type_uri(dataset_type: str) -> URIRef | None:
    return DATASET_TYPES.get(dataset_type)


def dataset_type_of(uri: str | Node) -> str | None:
    return next((name for name, ref in DATASET_TYPES.items() if str(ref) == str(uri)), None)


def file_type_code(fmt: str | None) -> str | None:
    """The EU file-type code of a CKAN resource format (``CSV``, ``GeoJSON``, ...)."""
    if not fmt:
        return None
    key = re.sub(r"[\s\-]+", "_", fmt.strip().upper()).lstrip(".")
    key = _FORMAT_ALIASES.get(key, key)
    return key if key in vocab.codes("file_type") else None


def is_media_type(value: str | None) -> TypeGuard[str]:
    return bool(value and _MEDIA_TYPE.match(value.strip()))


def media_type_uri(media_type: str) -> URIRef:
    return URIRef(IANA_MEDIA_TYPES + media_type.strip().lower())


def media_type_of(uri: str | Node) -> str | None:
    """``text/csv`` for an IANA media-type URI (http or https), else None."""
    match = re.match(r"^https?://www\.iana\.org/assignments/media-types/(.+)$", str(uri))
    return match.group(1) if match and is_media_type(match.group(1)) else None


def table_schema_uri(name: str) -> URIRef:
    return URIRef(TABLE_SCHEMA_BASE + name)


def table_schema_of(uri: str | Node) -> str | None:
    """The table schema name of one of our table schema URIs, else None."""
    from ckanext.retailarea.tables import schemas as table_schemas

    if not str(uri).startswith(TABLE_SCHEMA_BASE):
        return None
    name = str(uri).removeprefix(TABLE_SCHEMA_BASE)
    return name if name in table_schemas.names() else None


def vocabulary_order(name: str, codes: Set[str | None]) -> list[str]:
    """``codes`` in the display order of vocabulary ``name``: parsing yields a stable list
    whatever order the triples come in."""
    return [code for code in vocab.codes(name) if code in codes]
