"""The URLs of restricted and non-public datasets' resources, kept where CKAN never reads.

Withholding URLs on each output path is a block-list: every action or view that CKAN
core or a plugin adds is a new leak. So the secret is never where they read. When a
restricted or non-public dataset is saved (its validated data, before CKAN writes it),
every URL-bearing value of its resources moves into ``retailarea_resource_secret``:

- ``url`` (not of uploads: an upload's file name leads nowhere but to the guarded
  download route), ``cache_url`` and every extra whose key ends in ``url``
  (``download_url``, ``access_url``, ...) get the neutral URL of the resource
  (:func:`neutral_url`, the guarded route ``/access/resource/<id>``);
- every other extra holding a URL anywhere in its value is left out of the row.

So resource rows, activities (built from the rows), the search index, the package_show
cache, harvest objects (scrubbed, :func:`scrub_harvest_objects`) and kept DCAT never hold
them. :func:`reveal` puts the real values back into a package_show answer for those who
may reach the data (access/enforce.py). An incoming neutral value, or a withheld key left
out, keeps the kept value: internal reads see only neutral values and must not erase the
real ones when they save. Switching to public puts the values back into the rows;
switching to restricted or non-public also scrubs the dataset's earlier activities.
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from typing import Any, cast

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.retailarea.model.access import ResourceSecret

SECRET_LEVELS = frozenset({"restricted", "non_public"})
URL_COLUMNS = ("url", "cache_url")
CORE_COLUMNS = frozenset({
    "id", "package_id", "url", "format", "description", "hash", "position", "name",
    "resource_type", "mimetype", "mimetype_inner", "size", "created", "last_modified",
    "metadata_modified", "cache_url", "cache_last_updated", "url_type", "state",
    "datastore_active", "tracking_summary", "retailarea_withheld",
})
URL_IN_TEXT = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\bwww\.)")
NEUTRAL_PATH = "/access/resource/"
NEUTRAL = re.compile(r"/access/resource/([0-9a-fA-F-]{36})$")
SEALED = "retailarea_sealed"
WAS_SEALED = "retailarea_was_sealed"
RESEALED = "retailarea_resealed"
# the dataset fields that decide whether its resources' URLs are withheld: when one
# changes, CKAN (2.12) validates every resource again, so seal() sees them all
RESOURCE_DEPENDENCIES = ("access_level", "private")


def is_secret(data: dict[str, Any]) -> bool:
    """A dataset dict (validated or shown) of a restricted or non-public dataset."""
    return data.get("access_level") in SECRET_LEVELS or tk.asbool(data.get("private"))


def package_is_secret(package: model.Package | None) -> bool:
    return package is not None and (
        package.extras.get("access_level") in SECRET_LEVELS or bool(package.private))


def neutral_url(resource_id: str) -> str:
    """What the rows hold instead of a withheld URL: the guarded route of the resource."""
    return tk.config.get("ckan.site_url", "").rstrip("/") + NEUTRAL_PATH + resource_id


def is_neutral(value: Any, resource_id: str | None) -> bool:
    match = NEUTRAL.search(value) if isinstance(value, str) else None
    return bool(match) and match.group(1) == resource_id


def url_bearing(key: str, value: Any, resource: dict[str, Any]) -> bool:
    """Whether a resource value leads to the data (and so is withheld)."""
    if value in (None, "", [], {}):
        return False
    if key == "url":
        return resource.get("url_type") != "upload"
    if key == "cache_url":
        return True
    if key in CORE_COLUMNS:
        return False
    return key.endswith("url") or _contains_url(value)


def _contains_url(value: Any) -> bool:
    if isinstance(value, str):
        return bool(URL_IN_TEXT.search(value))
    if isinstance(value, dict):
        return any(_contains_url(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_url(item) for item in value)
    return False


def _has_placeholder(key: str) -> bool:
    return key in URL_COLUMNS or key.endswith("url")


def kept(package_id: str | None) -> dict[str, dict[str, Any]]:
    """The kept values of a dataset's resources: {resource id: {key: value}}."""
    if not package_id:
        return {}
    rows = model.Session.query(ResourceSecret).filter(ResourceSecret.package_id == package_id)
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        found.setdefault(row.resource_id, {})[row.key] = json.loads(row.value)
    return found


def _real_values(resource: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """The real URL-bearing values of an incoming resource: neutral values and withheld
    keys left out stand for the kept ones."""
    rid = resource.get("id")
    real = {key: value for key, value in old.items() if key not in resource}
    for key, value in resource.items():
        if is_neutral(value, rid):
            if key in old:
                real[key] = old[key]
        elif url_bearing(key, value, resource):
            real[key] = value
    return real


def seal_resources(resources: Iterable[dict[str, Any]], secret: bool,
                   old: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rewrite resource dicts about to be saved; returns what to keep per resource."""
    sealed: dict[str, dict[str, Any]] = {}
    for resource in resources:
        if secret and not resource.get("id"):
            resource["id"] = str(uuid.uuid4())
        real = _real_values(resource, old.get(resource.get("id") or "", {}))
        if not secret:
            resource.update(real)
            continue
        for key in real:
            if _has_placeholder(key):
                resource[key] = neutral_url(resource["id"])
            else:
                resource.pop(key, None)
        if real:
            sealed[resource["id"]] = real
    return sealed


def seal(context: dict[str, Any], data: dict[str, Any]) -> None:
    """On validated data of package_create/update, before CKAN writes the rows (a
    create has no kept values, unless a sysadmin gives the id of a dataset)."""
    package = model.Package.get(data["id"]) if data.get("id") else None
    was_secret = package_is_secret(package)
    secret = is_secret(data)
    resources = data.get("resources") or []
    if not (secret or was_secret or _any_neutral(resources)):
        context[SEALED] = {}
        context[WAS_SEALED] = False
        context[RESEALED] = []
        return
    old = kept(package.id) if package is not None else {}
    context[SEALED] = seal_resources(resources, secret, old)
    context[WAS_SEALED] = was_secret
    context[RESEALED] = [r["id"] for r in resources if r.get("id")]


def _any_neutral(resources: list[dict[str, Any]]) -> bool:
    return any(isinstance(value, str) and NEUTRAL_PATH in value
               for resource in resources for value in resource.values())


def store(context: dict[str, Any], package_id: str) -> None:
    """After CKAN wrote the rows, in the same transaction: keep what seal() took."""
    if SEALED not in context:
        return
    sealed = context.pop(SEALED)
    was_secret = context.pop(WAS_SEALED, False)
    _replace(package_id, sealed, context.pop(RESEALED, None))
    if sealed and not was_secret:
        scrub_activities(package_id, sealed)
        scrub_harvest_objects(package_id, sealed)


def _replace(package_id: str, sealed: dict[str, dict[str, Any]],
             resealed: list[str] | None = None) -> None:
    """Keep ``sealed`` as the values of the ``resealed`` resources (None: of all the
    dataset's resources). The other resources that are still in the dataset keep theirs:
    CKAN 2.12's package_update validates only the resources that changed (the others
    keep their rows) unless a field of :data:`RESOURCE_DEPENDENCIES` changed."""
    session = model.Session
    old = session.query(ResourceSecret).filter(ResourceSecret.package_id == package_id)
    if resealed is not None:
        active = sa.select(model.Resource.id).where(
            model.Resource.package_id == package_id, model.Resource.state == "active")
        old = old.filter(sa.or_(ResourceSecret.resource_id.in_(resealed),
                                ResourceSecret.resource_id.not_in(active)))
    old.delete(synchronize_session=False)
    for resource_id, values in sealed.items():
        for key, value in values.items():
            session.add(ResourceSecret(resource_id=resource_id, key=key,
                                       package_id=package_id, value=json.dumps(value)))
    session.flush()


def reveal(pkg_dict: dict[str, Any]) -> None:
    """Put the real values into a shown dataset (for those who may reach the data)."""
    secrets = kept(pkg_dict.get("id"))
    for resource in pkg_dict.get("resources") or []:
        resource.update(secrets.get(resource.get("id") or "", {}))


def replacements(sealed: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(secret text, neutral URL) pairs, longest first so no secret is cut in two."""
    pairs: dict[str, str] = {}
    for resource_id, values in sealed.items():
        for text in _strings(list(values.values())):
            if text and not is_neutral(text, resource_id):
                pairs[text] = neutral_url(resource_id)
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def scrub_value(value: Any, pairs: list[tuple[str, str]]) -> Any:
    """A copy of a JSON value with every secret text replaced."""
    if isinstance(value, str):
        for secret, neutral in pairs:
            if secret in value:
                value = value.replace(secret, neutral)
        return value
    if isinstance(value, dict):
        return {key: scrub_value(item, pairs) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub_value(item, pairs) for item in value]
    return value


def scrub_activities(package_id: str, sealed: dict[str, dict[str, Any]]) -> int:
    """Earlier activities of a dataset that was public hold its URLs: replace them."""
    from ckanext.activity.model import Activity

    pairs = replacements(sealed)
    changed = 0
    for activity in model.Session.query(Activity).filter(Activity.object_id == package_id):
        scrubbed = scrub_value(activity.data, pairs)
        if scrubbed != activity.data:
            activity.data = scrubbed
            changed += 1
    return changed


def scrub_harvest_objects(package_id: str,
                          sealed: dict[str, dict[str, Any]] | None = None) -> int:
    """Harvest objects keep the source record, URLs included: replace them (the record
    stays readable for the harvest log; the real values are in the vault)."""
    try:
        from ckanext.harvest.model import HarvestObject
    except ImportError:  # harvesting not installed: nothing kept there
        return 0
    pairs = replacements(sealed if sealed is not None else kept(package_id))
    if not pairs:
        return 0
    changed = 0
    rows = model.Session.query(HarvestObject.id, HarvestObject.content).filter(
        HarvestObject.package_id == package_id)
    for object_id, content in rows.all():
        scrubbed = scrub_text(content or "", pairs)
        if scrubbed != (content or ""):
            model.Session.query(HarvestObject).filter(HarvestObject.id == object_id).update(
                {"content": scrubbed}, synchronize_session="evaluate")
            changed += 1
    return changed


def scrub_text(text: str, pairs: list[tuple[str, str]]) -> str:
    """Plain text or any serialisation of it (JSON escapes slashes sometimes)."""
    for secret, neutral in pairs:
        for form in {secret, secret.replace("/", "\\/"), json.dumps(secret)[1:-1]}:
            text = text.replace(form, neutral)
    return text


def _row_dict(resource: model.Resource) -> dict[str, Any]:
    return {**(resource.extras or {}), "id": resource.id, "url": resource.url,
            "url_type": resource.url_type, "cache_url": resource.cache_url}


def _write_row(resource: model.Resource, values: dict[str, Any]) -> None:
    resource.url = values.get("url") or ""
    # a nullable column that CKAN 2.12 types as str
    resource.cache_url = cast(str, values.get("cache_url"))
    resource.extras = {key: value for key, value in values.items()
                       if key not in CORE_COLUMNS}


def settle_rows(package_id: str) -> None:
    """For writes that bypass package_update (CKAN's bulk private/public): make the rows
    match the dataset's level now, as a save would. The caller commits and reindexes."""
    package = model.Package.get(package_id)
    if package is None:
        return
    model.Session.refresh(package)  # the bulk update wrote around the session
    old = kept(package_id)
    resources = model.Session.query(model.Resource).filter(
        model.Resource.package_id == package_id)
    sealed: dict[str, dict[str, Any]] = {}
    secret = package_is_secret(package)
    for resource in resources:
        values = _row_dict(resource)
        sealed.update(seal_resources([values], secret, old))
        _write_row(resource, values)
    _replace(package_id, sealed)
    if sealed:
        scrub_activities(package_id, sealed)
        scrub_harvest_objects(package_id, sealed)
