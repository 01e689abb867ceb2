"""Saving one mapped dataset: create or update, name, resource ids, error summary.

Used by the gather stage's batch import (one transaction per catalog page) and by the
import stage (one object from the fetch queue); both commit and index the same way.
"""
from __future__ import annotations

import uuid
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.munge import munge_title_to_name
from ckan.model import PACKAGE_NAME_MAX_LENGTH
from ckan.types import Context

from ckanext.retailarea.access import vault
from ckanext.retailarea.harvesters import mapping
from ckanext.retailarea.model import extras


def source_of(harvest_source: Any) -> mapping.Source:
    dataset = model.Package.get(harvest_source.id)
    return mapping.Source(id=harvest_source.id, url=harvest_source.url,
                          owner_org=dataset.owner_org if dataset else None)


def save(package: dict[str, Any], package_id: str | None, name_prefix: str, user: str,
         user_obj: Any = None, name: str | None = None) -> tuple[str, bool]:
    """``(package id, updated)`` after package_create or package_update, not committed:
    the caller commits and indexes (``solr.commit_and_index``) once the harvest object
    knows the dataset. ValidationError as CKAN raises it.
    ``user_obj``, the User of ``user`` if the caller has it, spares a lookup per save;
    ``name``, a name reserved by :func:`new_names`, is used for a new dataset."""
    context: Context = {"user": user, "ignore_auth": True, "return_id_only": True,
                        "defer_commit": True}
    if user_obj is not None:
        context["auth_user_obj"] = user_obj
    existing = model.Package.get(package_id) if package_id else None
    if existing is not None and existing.state == "active":
        package["id"], package["name"] = existing.id, existing.name
        _keep_resource_ids(existing, package)
        tk.get_action("package_update")(context, package)
        return existing.id, True
    package["name"] = name or new_name(name_prefix, package["title"])
    return tk.get_action("package_create")(context, package), False


def after_objects(package: dict[str, Any], package_id: str) -> None:
    """What follows once a dataset's harvest object knows it, before the commit: a
    restricted or non-public dataset's harvest objects keep no resource URL
    (the vault holds them; access/vault.py)."""
    if package.get("access_level") in vault.SECRET_LEVELS:
        vault.scrub_harvest_objects(package_id)


def harvested_before(source_id: str, guid: str) -> str | None:
    """The active dataset this source already made from record ``guid`` (by its
    provenance fields), for a harvest object that does not know it: a fetch consumer
    killed between saving the dataset and saving its object, or two consumers given the
    same object, would otherwise create the dataset twice. The advisory lock, held until
    the caller commits or rolls back, makes a second importer of the record wait for the
    first and then find its dataset."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                          {"key": f"retailarea-harvest:{source_id}:{guid}"})
    row = model.Session.execute(sa.text(
        "SELECT p.id FROM package p WHERE p.state = 'active' "  # noqa: S608 - constant SQL
        f"AND {extras.value('p', 'harvest_source')} = :source "
        f"AND {extras.equals('p', 'harvest_original_id', 'guid')} LIMIT 1"),
        {"source": source_id, "guid": guid}).first()
    return row[0] if row else None


def new_name(prefix: str, title: str) -> str:
    """A free dataset name from the title: the munged title, or it with a random suffix.
    Exact-name lookups use the index on package.name, where ckanext-harvest's helper
    scans every name sharing the prefix (slower with each dataset a source adds)."""
    return _free_name(_ideal_name(prefix, title), set())


def new_names(prefix: str, titles: list[str]) -> list[str]:
    """Free, distinct names for several new datasets at once (one query for the munged
    titles), as :func:`new_name` would give them one after another."""
    ideals = [_ideal_name(prefix, title) for title in titles]
    taken = {name for (name,) in model.Session.query(model.Package.name).filter(
        model.Package.name.in_(set(ideals)))}
    names = []
    for ideal in ideals:
        name = ideal if ideal not in taken else _free_name(ideal, taken, suffix_only=True)
        taken.add(name)
        names.append(name)
    return names


def _free_name(ideal: str, taken: set[str], suffix_only: bool = False) -> str:
    """``ideal``, or it with a random suffix: the first that is neither in ``taken`` nor
    in the database."""
    candidates = [] if suffix_only else [ideal]
    candidates += [f"{ideal}-{uuid.uuid4().hex[:5]}" for _ in range(5)]
    for candidate in candidates:
        if candidate not in taken and not model.Session.query(model.Package.id).filter(
                model.Package.name == candidate).first():
            return candidate
    raise tk.ValidationError({"name": ["no free name for this title"]})


def _ideal_name(prefix: str, title: str) -> str:
    ideal = (prefix + munge_title_to_name(title)).strip("-")[:PACKAGE_NAME_MAX_LENGTH - 6]
    return ideal or "dataset"


def summary(error: tk.ValidationError) -> str:
    """The field errors of a ValidationError, on one line."""
    found = error.error_summary or {}
    return "; ".join(f"{k}: {v}" for k, v in found.items())[:1000] or str(error)


def _keep_resource_ids(existing: Any, package: dict[str, Any]) -> None:
    """Resources keep their ids (and so their views and reports) when their URL stays."""
    by_url = {r.url: r.id for r in existing.resources}
    for resource in package.get("resources", []):
        if resource.get("url") in by_url:
            resource["id"] = by_url.pop(resource["url"])
