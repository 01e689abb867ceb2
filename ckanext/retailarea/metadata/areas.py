"""The retail areas of a dataset, chosen in the form (field ``retail_areas``).

A dataset joins a retail area as CKAN group membership (``groups``), as before. The form
sends the chosen areas as ``retail_areas`` (names); this before validator checks each and
turns them into ``groups``, so the field itself is never stored. A steward may choose the
retail areas CKAN lets them add datasets to: those whose members they are (CKAN's
``manage_group`` permission; an area's admin adds the organization's stewards as members),
all of them for a sysadmin.

* In the web form the field is always sent (a hidden empty value comes with the
  checkboxes), and the typed datasets need at least one area there.
* Through the API it is optional (harvested and scripted datasets may have no area), but
  areas that are given are checked the same way: an unknown name, a group that is no retail
  area or an area the user may not publish to is a 409 with an error on ``retail_areas``.
* Areas given as CKAN's ``groups`` are checked by CKAN itself (403 for a group the user may
  not edit, 404 for an unknown one).
"""
from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.retailarea.metadata.rules import as_list, group_extras
from ckanext.retailarea.tables.schemas import DATASET_TABLES

AREA_TYPE = "retail-area"
FIELD = "retail_areas"


def choices(user: str | None) -> list[dict[str, str]]:
    """The retail areas ``user`` may publish to, by title: ``[{value, label, geometry},
    ...]`` (``geometry``: the outline as GeoJSON text, or empty)."""
    if not user:
        return []
    groups = tk.get_action("group_list_authz")({"user": user}, {})
    areas = [model.Group.get(group["id"]) for group in groups]
    return sorted(
        ({"value": area.name, "label": area.title or area.name,
          "geometry": group_extras(area).get("geometry") or ""}
         for area in areas if area is not None and area.type == AREA_TYPE),
        key=lambda choice: choice["label"].lower(),
    )


def retailarea_retail_areas(key: Any, data: dict, errors: dict, context: Any) -> None:
    """Before validator: check the chosen retail areas and make them the dataset's areas
    among its ``groups``."""
    value = data.pop((FIELD,), tk.missing)
    if value is tk.missing:
        return
    names = [name.strip() for name in as_list(value) if name.strip()]
    if not names and data.get(("type",)) in DATASET_TABLES:
        errors[(FIELD,)] = [tk._("Choose the retail area the data is about")]
        return
    areas, problems = _check(names, context)
    if problems:
        errors[(FIELD,)] = problems
        return
    _set_groups(data, areas, context)


def _check(names: list[str], context: Any) -> tuple[list[model.Group], list[str]]:
    areas: list[model.Group] = []
    problems: list[str] = []
    user = context.get("user")
    for name in dict.fromkeys(names):
        area = model.Group.get(name)
        if area is None or area.type != AREA_TYPE or area.state != "active":
            problems.append(tk._("There is no retail area {name}").format(name=name))
        elif not (context.get("ignore_auth") or authz.has_user_permission_for_group_or_org(
                area.id, user, "manage_group")):
            problems.append(tk._(
                "You may not publish to the retail area {name}: ask its administrator to "
                "add you as a member").format(name=name))
        else:
            areas.append(area)
    return areas, problems


def _set_groups(data: dict, areas: list[model.Group], context: Any) -> None:
    """``groups`` becomes the chosen areas plus the dataset's other groups (those given in
    this call, or else those it has) that the form does not offer."""
    given = _given_groups(data)
    if given is None:
        package = context.get("package") or model.Package.get(data.get(("id",)) or "")
        given = [group.name for group in package.get_groups()] if package else []
    keep = [name for name in given if not _choosable(name, context)]
    for key in [key for key in data if key[0] == "groups"]:
        del data[key]
    for index, name in enumerate(dict.fromkeys(keep + [area.name for area in areas])):
        data[("groups", index, "name")] = name


def _given_groups(data: dict) -> list[str] | None:
    refs = sorted(
        (key[1], value) for key, value in data.items()
        if key[0] == "groups" and len(key) == 3 and key[2] in ("name", "id") and value
    )
    if not refs and not any(key[0] == "groups" for key in data):
        return None
    return [str(value) for _, value in refs]


def _choosable(ref: str, context: Any) -> bool:
    """Whether the form offers this group: a retail area the user may publish to. Other
    groups, and areas someone else put the dataset in, stay as they are."""
    group = model.Group.get(ref)
    return bool(group and group.type == AREA_TYPE and (
        context.get("ignore_auth")
        or authz.has_user_permission_for_group_or_org(group.id, context.get("user"),
                                                      "manage_group")))


def retailarea_area_choices(field: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """scheming ``choices_helper``: the retail areas the logged-in user may publish to."""
    user = tk.current_user
    return choices(user.name if user.is_authenticated else None)
