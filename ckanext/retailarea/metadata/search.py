"""Indexing and facets of the metadata fields.

CKAN's Solr schema (which we keep unchanged, so ckan/ckan-solr images work) indexes unknown
fields as single-valued strings; list fields are therefore indexed into its multi-valued
``vocab_*`` fields, and queries and facets that use the public names (``theme``,
``permitted_purposes``, ``municipality``) are rewritten to them and back."""
from __future__ import annotations

import re
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea import vocab
from ckanext.retailarea.metadata import types
from ckanext.retailarea.metadata.rules import as_list, group_extras

MULTI_VALUED = {"theme": "theme", "permitted_purposes": "purpose", "municipality": None}
SOLR_NAME = {name: f"vocab_{name}" for name in MULTI_VALUED}
PUBLIC_NAME = {solr: name for name, solr in SOLR_NAME.items()}
_FIELD_IN_QUERY = re.compile(r"(?<![\w.-])(" + "|".join(MULTI_VALUED) + r"):")


def facet_titles() -> dict[str, str]:
    """Facets of /dataset and package_search, in display order."""
    return {
        "dataset_type": tk._("Dataset type"),
        "groups": tk._("Retail area"),
        "municipality": tk._("Municipality"),
        "access_level": tk._("Access level"),
        "theme": tk._("Themes"),
        "permitted_purposes": tk._("Permitted purposes"),
    }


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the multi-valued vocab_* fields to a dataset about to be indexed."""
    for name in ("theme", "permitted_purposes"):
        values = as_list(pkg_dict.get(name))
        pkg_dict.pop(name, None)
        if values:
            pkg_dict[SOLR_NAME[name]] = values
    codes = municipality_codes(pkg_dict.get("groups") or [])
    if codes:
        pkg_dict[SOLR_NAME["municipality"]] = codes
    return pkg_dict


def municipality_codes(group_names: list[str]) -> list[str]:
    if not group_names:
        return []
    groups = model.Session.query(model.Group).filter(
        model.Group.name.in_(group_names), model.Group.type == "retail-area"
    )
    return sorted({str(code) for g in groups
                   if (code := group_extras(g).get("municipality_code"))})


def rewrite_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Public field names in fq, q and facet.field become their Solr names."""
    for key in ("fq", "q"):
        if isinstance(search_params.get(key), str):
            search_params[key] = _FIELD_IN_QUERY.sub(
                lambda m: SOLR_NAME[m.group(1)] + ":", search_params[key]
            )
    fq_list = search_params.get("fq_list")
    if isinstance(fq_list, list):
        search_params["fq_list"] = [
            _FIELD_IN_QUERY.sub(lambda m: SOLR_NAME[m.group(1)] + ":", fq) for fq in fq_list
        ]
    facets = search_params.get("facet.field")
    if isinstance(facets, list):
        search_params["facet.field"] = [SOLR_NAME.get(f, f) for f in facets]
    return search_params


def rename_and_label(results: dict[str, Any]) -> dict[str, Any]:
    """Facet keys back to public names; codes shown with labels in the user's language."""
    for bag in ("facets", "search_facets"):
        facets = results.get(bag)
        if isinstance(facets, dict):
            results[bag] = {PUBLIC_NAME.get(k, k): v for k, v in facets.items()}
    lang = _language()
    for name, facet in (results.get("search_facets") or {}).items():
        for item in facet.get("items", []):
            item["display_name"] = display_name(name, item["name"], lang) or item["display_name"]
    return results


def display_name(facet: str, code: str, lang: str) -> str | None:
    if facet == "dataset_type":
        return types.label(code, lang)
    vocabulary = {"access_level": "access_level", **MULTI_VALUED}.get(facet)
    if vocabulary and code in vocab.codes(vocabulary):
        return vocab.label(vocabulary, code, lang)
    return None


def _language() -> str:
    try:
        return tk.h.lang() or "en"
    except (RuntimeError, AttributeError, TypeError):
        return "en"
