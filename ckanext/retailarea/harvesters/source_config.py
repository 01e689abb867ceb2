"""The JSON configuration of a harvest source: value maps and rules, checked up front.

Every key is optional::

    {
      "theme_map": {"Mobiliteit": "TRAN", "Economie": ["ECON", "REGI"]},
      "category_map": {"Verkeer en vervoer": "TRAN"},
      "license_map": {"Licence Ouverte (Etalab)": "other-open"},
      "frequency_map": {"Tweewekelijks": "BIWEEKLY"},
      "access_level_map": {"intern": "non_public"},
      "type_rules": [{"keyword": "parkeren", "type": "parking",
                      "fields": {"standard": "SPDP 2.0"}}],
      "default_theme": "GOVE",
      "default_access_level": "public",
      "default_purposes": ["PublicBenefit"],
      "retail_area": "gouda-binnenstad",
      "deletion_guard_ratio": 0.2,
      "name_prefix": "eindhoven-"
    }

Keys of maps are matched without regard to case. Each source type may accept a few keys
of its own (``rdf_format`` for ``dcat_rdf``, ``domain`` for ``socrata``, ``page_size``).
Unknown keys are refused, so a typo does not silently switch a map off.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from ckanext.retailarea import vocab

DEFAULT_RATIO = 0.2
TYPES = ("dataset", "shop-register", "events", "parking", "footfall")
# Fields a typed schema requires beyond the shared ones: a type rule must give them.
TYPE_REQUIRED = {
    "shop-register": ("classification_scheme",),
    "events": ("language",),
    "parking": ("standard",),
    "footfall": ("counting_method",),
}
RULE_MATCHERS = ("keyword", "title", "category", "theme")


class ConfigError(ValueError):
    """The source configuration is not usable; the message lists every problem."""


@dataclasses.dataclass(frozen=True)
class SourceConfig:
    theme_map: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    category_map: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    license_map: dict[str, str] = dataclasses.field(default_factory=dict)
    frequency_map: dict[str, str] = dataclasses.field(default_factory=dict)
    access_level_map: dict[str, str] = dataclasses.field(default_factory=dict)
    type_rules: tuple[dict[str, Any], ...] = ()
    default_theme: str = "GOVE"
    default_access_level: str = "public"
    default_purposes: tuple[str, ...] = ()
    retail_area: str | None = None
    deletion_guard_ratio: float = DEFAULT_RATIO
    name_prefix: str = ""
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    fingerprint: str = ""


def parse(text: str | None, extra_keys: dict[str, type] | None = None) -> SourceConfig:
    """The SourceConfig of a source's config text; ConfigError with all problems found."""
    extra_keys = extra_keys or {}
    data = _load(text)
    problems: list[str] = []
    known = {f.name for f in dataclasses.fields(SourceConfig)} - {"extra", "fingerprint"}
    for key in sorted(set(data) - known - set(extra_keys)):
        problems.append(f"unknown key {key!r}")
    values: dict[str, Any] = {}
    for key in ("theme_map", "category_map"):
        values[key] = _code_map(data, key, "theme", problems, many=True)
    values["frequency_map"] = _code_map(data, "frequency_map", "frequency", problems)
    values["access_level_map"] = _code_map(data, "access_level_map", "access_level", problems)
    values["license_map"] = _licence_map(data, problems)
    values["type_rules"] = tuple(_type_rules(data, problems))
    values.update(_scalars(data, problems))
    extra = {}
    for key, kind in extra_keys.items():
        if key in data:
            if not isinstance(data[key], kind):
                problems.append(f"{key}: must be a {kind.__name__}")
            extra[key] = data[key]
    if problems:
        raise ConfigError("; ".join(problems))
    fingerprint = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return SourceConfig(**values, extra=extra, fingerprint=fingerprint)


def _load(text: str | None) -> dict[str, Any]:
    if not text or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ConfigError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError("must be a JSON object")
    return data


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _code_map(data: dict, key: str, vocabulary: str, problems: list[str],
              many: bool = False) -> dict[str, Any]:
    given = data.get(key, {})
    if not isinstance(given, dict):
        problems.append(f"{key}: must be an object of source value -> code")
        return {}
    codes = set(vocab.codes(vocabulary))
    out: dict[str, Any] = {}
    for source_value, target in given.items():
        targets = _as_list(target) if many else [target]
        wrong = [t for t in targets if t not in codes]
        if wrong or not targets:
            problems.append(f"{key}: {source_value!r} maps to {wrong or targets!r}, not one of "
                            f"{', '.join(sorted(codes))}")
            continue
        out[source_value.strip().lower()] = targets if many else target
    return out


def _licence_map(data: dict, problems: list[str]) -> dict[str, str]:
    import ckan.model as model

    given = data.get("license_map", {})
    if not isinstance(given, dict):
        problems.append("license_map: must be an object of source licence -> CKAN licence id")
        return {}
    register = model.Package.get_license_register()
    out = {}
    for source_value, license_id in given.items():
        if register.get(license_id) is None:
            problems.append(f"license_map: {source_value!r} maps to unknown licence id "
                            f"{license_id!r}")
            continue
        out[source_value.strip().lower()] = license_id
    return out


def _type_rules(data: dict, problems: list[str]) -> list[dict[str, Any]]:
    rules = data.get("type_rules", [])
    if not isinstance(rules, list):
        problems.append("type_rules: must be a list of rules")
        return []
    out = []
    for number, rule in enumerate(rules, 1):
        where = f"type_rules[{number}]"
        if not isinstance(rule, dict):
            problems.append(f"{where}: must be an object")
            continue
        matchers = [k for k in RULE_MATCHERS if isinstance(rule.get(k), str) and rule[k]]
        if len(matchers) != 1:
            problems.append(f"{where}: give exactly one of {', '.join(RULE_MATCHERS)}")
            continue
        if rule.get("type") not in TYPES:
            problems.append(f"{where}: type must be one of {', '.join(TYPES)}")
            continue
        fields = rule.get("fields", {})
        missing = [f for f in TYPE_REQUIRED.get(rule["type"], ()) if f not in fields]
        if not isinstance(fields, dict) or missing:
            problems.append(f"{where}: type {rule['type']} needs 'fields' with "
                            f"{', '.join(missing or ['an object'])}")
            continue
        out.append({"match": matchers[0], "value": rule[matchers[0]].strip().lower(),
                    "type": rule["type"], "fields": fields})
    return out


def _scalars(data: dict, problems: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    theme = data.get("default_theme", "GOVE")
    if theme not in vocab.codes("theme"):
        problems.append(f"default_theme: {theme!r} is not an EU data-theme code")
    out["default_theme"] = theme
    level = data.get("default_access_level", "public")
    if level not in vocab.codes("access_level"):
        problems.append(f"default_access_level: must be one of {vocab.codes('access_level')}")
    out["default_access_level"] = level
    purposes = data.get("default_purposes", [])
    wrong = [p for p in _as_list(purposes) if p not in vocab.codes("purpose")]
    if wrong:
        problems.append(f"default_purposes: unknown purposes {wrong!r}")
    out["default_purposes"] = tuple(_as_list(purposes))
    if level == "restricted" and not purposes:
        problems.append("default_purposes: required when default_access_level is restricted")
    ratio = data.get("deletion_guard_ratio", DEFAULT_RATIO)
    if not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or not 0 <= ratio <= 1:
        problems.append("deletion_guard_ratio: must be a number from 0 to 1")
    out["deletion_guard_ratio"] = ratio
    out["retail_area"] = _retail_area(data.get("retail_area"), problems)
    prefix = data.get("name_prefix", "")
    if not isinstance(prefix, str) or (prefix and not prefix.replace("-", "").isalnum()):
        problems.append("name_prefix: lowercase letters, digits and dashes only")
    out["name_prefix"] = (prefix or "").lower() if isinstance(prefix, str) else ""
    return out


def _retail_area(name: Any, problems: list[str]) -> str | None:
    import ckan.model as model

    if name in (None, ""):
        return None
    group = model.Group.get(name) if isinstance(name, str) else None
    if group is None or group.type != "retail-area" or group.state != "active":
        problems.append(f"retail_area: no retail area named {name!r}")
        return None
    return group.name
