"""Checks against the standards in ../shared/reference/standards/: the schema.org
vocabulary (release 30.0) for JSON-LD, and the Smart Data Models JSON Schemas (with
their common-schema.json) for NGSI-LD key-values."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

STANDARDS = Path(__file__).parents[2] / ".." / "shared" / "reference" / "standards"
SCHEMA_ORG = STANDARDS / "schema.org" / "releases" / "30.0" / "schemaorg-current-https.jsonld"
SDM = STANDARDS / "fiware-smart-data-models"
PREFIX = "https://schema.org/"
LITERAL = {  # python type of a JSON value -> schema.org data types it may stand for
    bool: {"Boolean"}, int: {"Number", "Integer", "Float"}, float: {"Number", "Float"},
    str: {"Text", "URL", "Date", "DateTime", "Time"},
}
FORMATS = {
    "Date": re.compile(r"^\d{4}-\d\d-\d\d$"),
    "DateTime": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)$"),
    "Time": re.compile(r"^\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)?$"),
    "URL": re.compile(r"^https?://\S+$"),
}


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items
            if isinstance(item, dict) and str(item.get("@id", "")).startswith("schema:")]


@functools.cache
def vocabulary() -> dict[str, Any]:
    graph = json.loads(SCHEMA_ORG.read_text(encoding="utf-8"))["@graph"]
    classes, properties, members = {}, {}, {}
    for node in graph:
        name = node["@id"].removeprefix("schema:")
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            classes[name] = _ids(node.get("rdfs:subClassOf"))
        elif "rdf:Property" in types:
            properties[name] = (set(_ids(node.get("schema:domainIncludes"))),
                                set(_ids(node.get("schema:rangeIncludes"))))
        else:
            members[name] = {t.removeprefix("schema:") for t in types}
    return {"classes": classes, "properties": properties, "members": members}


def _ancestors(name: str) -> set[str]:
    classes, seen, todo = vocabulary()["classes"], set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += classes.get(current, [])
    return seen


def schema_org_problems(document: dict[str, Any]) -> list[str]:
    """Every type, property and value of a schema.org JSON-LD document (``@context`` the
    schema.org URL, nodes in ``@graph`` or the document itself) that the vocabulary does
    not allow; empty when all is well."""
    problems: list[str] = []
    if document.get("@context") != PREFIX:
        problems.append(f"@context is {document.get('@context')!r}")
    for node in document.get("@graph", [document]):
        _node(node, "", problems)
    return problems


def _node(node: dict[str, Any], path: str, problems: list[str]) -> set[str]:
    kind = node.get("@type")
    if kind not in vocabulary()["classes"]:
        problems.append(f"{path}: unknown type {kind!r}")
        return set()
    types = _ancestors(kind)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        where = f"{path}/{kind}.{key}"
        if key not in vocabulary()["properties"]:
            problems.append(f"{where}: no such property")
            continue
        domains, ranges = vocabulary()["properties"][key]
        if not domains & types:
            problems.append(f"{where}: not a property of {kind}")
        for item in value if isinstance(value, list) else [value]:
            _value(item, ranges, where, problems)
    return types


def _value(item: Any, ranges: set[str], where: str, problems: list[str]) -> None:
    if isinstance(item, dict):
        if not _node(item, where, problems) & ranges:
            problems.append(f"{where}: a {item.get('@type')} is not in the range {ranges}")
        return
    if isinstance(item, str) and item.startswith(PREFIX):
        member = vocabulary()["members"].get(item.removeprefix(PREFIX))
        if member is not None:
            if not any(_ancestors(t) & ranges for t in member):
                problems.append(f"{where}: {item} is not a member of {ranges}")
            return
    allowed = LITERAL.get(type(item), set()) & {r for t in ranges for r in _ancestors(t)}
    if not allowed:
        problems.append(f"{where}: {item!r} fits none of {ranges}")
    elif isinstance(item, str) and "Text" not in allowed and not any(
            FORMATS[f].match(item) for f in allowed if f in FORMATS):
        problems.append(f"{where}: {item!r} is not in the format of {allowed}")


@functools.cache
def _registry() -> Registry:
    common = json.loads((SDM / "data-models" / "common-schema.json").read_text("utf-8"))
    return Registry().with_resource(common["$id"], Resource.from_contents(common))


def smart_data_models_validator(model: str) -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of a Smart Data Model (``dataModel.Parking/OffStreetParking``)."""
    schema = json.loads((SDM / model / "schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(), format_checker=jsonschema.FormatChecker())
