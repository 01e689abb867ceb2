"""What stock ckanext-dcat consumers read, stated beside what DCAT-AP-NL wants.

A municipality running unmodified CKAN + ckanext-dcat (``euro_dcat_ap_3``) parses our
catalog with rules of its own (see docs/federation.md):

- a distribution's ``dct:license`` becomes a licence id only when the node is the URL of a
  licence in the consumer's register or its ``dct:title`` is a register title; the EU
  licence URI DCAT-AP-NL asks for is neither, so the node also carries CKAN's titles;
- a node with an ``rdfs:label`` is read as that label (``license``, ``mimetype``);
- ``dcat:bbox`` and ``dcat:centroid`` typed as GeoJSON are read from the last location, the
  same one ``spatial_uri`` comes from (a WKT bbox is read from the first).
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any

from babel import support
from ckan.lib.i18n import get_ckan_i18n_dir
from ckan.model import license as ckan_licences
from flask_babel import force_locale
from rdflib import Literal

from ckanext.retailarea.dcat.profiles import geometry

GEOJSON = "https://www.iana.org/assignments/media-types/application/vnd.geo+json"
LANGUAGES = ("en", "nl")


@cache
def _default_register() -> dict[str, ckan_licences.DefaultLicense]:
    """CKAN's default licence register, whatever ``licenses_group_url`` this site uses:
    it is the register a stock consumer matches against."""
    return {cls.id: cls() for cls in ckan_licences.DefaultLicense.__subclasses__()}


def licence_titles(license_id: str) -> dict[str, str]:
    """``{lang: title}`` of a licence of CKAN's default register in our two languages (a
    consumer compares titles in its own default language); empty for other ids."""
    licence = _default_register().get(license_id)
    if licence is None:
        return {}
    with force_locale("en"):
        msgid = str(licence.title)
    return {lang: _ckan_catalog(lang).gettext(msgid) for lang in LANGUAGES}


@cache
def _ckan_catalog(lang: str) -> support.NullTranslations:
    """CKAN's own messages in ``lang``, read from its catalog rather than the request's
    locale: kept DCAT is also made where no request chooses one (``ckan retailarea dcat
    rebuild``, background jobs), and there Flask-Babel's ``force_locale`` does nothing."""
    return support.Translations.load(get_ckan_i18n_dir(), [lang], domain="ckan")


def geojson(value: dict[str, Any]) -> Literal:
    return Literal(json.dumps(value, separators=(",", ":")), datatype=GEOJSON)


def bbox(shape: dict[str, Any]) -> Literal | None:
    """The bounding box as a GeoJSON polygon literal, None for a point or empty shape."""
    ring = geometry.bbox_ring(shape)
    return geojson({"type": "Polygon", "coordinates": [ring]}) if ring else None


def centroid(shape: dict[str, Any]) -> Literal | None:
    point = geometry.centroid(shape)
    return geojson({"type": "Point", "coordinates": list(point)}) if point else None
