"""The generated leak matrix: nothing here lists a path.

Every action in CKAN's action registry and every GET rule of the running Flask app is
called as each role (generated_world.ROLES) against each dataset of the world; a cell
fails when the answer (body or headers) holds a marker of a dataset the role may not
reach, or is a 5xx. An action or view that any plugin adds is a new cell without editing
this file. Reads first; then the registry's other actions, as the roles that reach no
secret data (they must be refused or harmless), so the world stays as built.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import ckan.logic as logic
import ckan.plugins as plugins
import pytest
from ckan.tests import helpers

from tests.access import generated_world as gw

REACHING_ALL = ("member", "editor", "admin", "sysadmin")
SKIPPED_RULES = ("static", "user.logout", "webassets.index")
# GET rules that change state (ckanext-harvest deletes, clears, refreshes and aborts on a
# GET): called only as the roles that reach no secret data, who can change nothing there
MUTATING = re.compile(r"delete|clear|purge|revoke|abort|refresh|remove|\bfollow\b|_run\b")
ID_ARGS = ("id", "resource_id", "activity_id", "view_id", "resource_view_id")


@pytest.fixture(scope="module")
def world(reset_db, reset_index):
    from tests.access.test_leak_matrix import _clean_datastore, _migrate

    plugins.load_all()
    reset_db()
    reset_index()
    _migrate()
    _clean_datastore()
    yield gw.build()
    plugins.unload_all()


@pytest.fixture(scope="module")
def client(world):
    return helpers._get_test_app()


def registry() -> dict[str, Any]:
    """CKAN keeps its action registry private; get_action fills it."""
    logic.get_action("package_show")
    return dict(logic._actions)


def _target_id(name: str, entry: gw.Entry, world: dict, role: str) -> str:
    if "activity" in name and name.endswith(("_show", "_diff")):
        return entry.activities[-1]
    if "view" in name:
        return entry.view["id"]
    if "resource" in name or name.startswith("datastore"):
        return entry.link["id"]
    if "followee" in name or "dashboard" in name or "follower" in name:
        user = world["users"].get(role)
        return user["id"] if user else world["users"]["admin"]["id"]
    if "organization" in name or "member" in name:
        return world["org"]["id"]
    if "group" in name:
        return world["area"]["id"]
    if "user" in name:
        return world["users"]["admin"]["id"]
    return entry.dataset["id"]


def action_params(name: str, entry: gw.Entry, world: dict, role: str) -> dict[str, Any]:
    return {"id": _target_id(name, entry, world, role), "package_id": entry.dataset["id"],
            "resource_id": entry.upload["id"], "name_or_id": entry.dataset["name"],
            "q": "quokka", "query": "url:https", "include_datasets": True,
            "include_data": True, "include_private": True, "all_fields": True,
            "limit": 50, "rows": 50, "object_type": "package",
            "fl": "id,name,data_dict,validated_data_dict"}


class Matrix:
    """Sends the requests of the cells and collects what went wrong."""

    def __init__(self, client, world):
        self.client = client
        self.world = world
        self.cells = 0
        self.failures: list[str] = []

    def headers(self, role: str) -> dict[str, str]:
        token = self.world["tokens"].get(role)
        return {"Authorization": token} if token else {}

    def check(self, role: str, label: str, response) -> None:
        self.cells += 1
        text = response.get_data(as_text=True) + json.dumps(dict(response.headers))
        if response.status_code >= 500:
            self.failures.append(f"{role} {label}: HTTP {response.status_code}")
        for marker in gw.forbidden(role):
            if marker in text:
                self.failures.append(f"{role} {label}: {marker}")

    def send(self, role: str, label: str, method: str, url: str, **kwargs: Any) -> None:
        """The test app lets a view's exception through where a server answers 500."""
        try:
            send = self.client.get if method == "GET" else self.client.post
            response = send(url, headers=self.headers(role), follow_redirects=False,
                            **kwargs)
        except Exception as error:  # noqa: BLE001 - what a server turns into a 500
            self.cells += 1
            self.failures.append(f"{role} {label}: 500 {type(error).__name__} {error}")
            return
        self.check(role, label, response)

    def action(self, role: str, name: str, params: dict[str, Any], read: bool) -> None:
        url = f"/api/3/action/{name}"
        label = f"{name} {params['id']}"
        if read:
            query = {key: json.dumps(value) if isinstance(value, bool) else value
                     for key, value in params.items()}
            self.send(role, label, "GET", url, query_string=query)
        else:
            self.send(role, label, "POST", url, json=params)

    def page(self, role: str, path: str) -> None:
        self.send(role, f"GET {path}", "GET", path)


def _rule_values(rule, entry: gw.Entry, world: dict) -> dict[str, Any] | None:
    blueprint = rule.endpoint.split(".")[0]
    owner = {"organization": world["org"]["name"], "group": world["area"]["name"],
             "retail-area": world["area"]["name"],
             "user": world["users"]["admin"]["name"]}.get(blueprint, entry.dataset["name"])
    known = {"id": owner, "resource_id": entry.link["id"],
             "activity_id": entry.activities[-1], "view_id": entry.view["id"],
             "resource_view_id": entry.view["id"], "filename": "counts.csv",
             "package_type": "dataset", "dataset_type": "dataset", "group_type": "group",
             "type": "dataset", "_format": "ttl", "format": "json"}
    values = {}
    for argument in rule.arguments:
        if argument not in known:
            return None
        values[argument] = known[argument]
    return values


def page_paths(app, world: dict, entry: gw.Entry) -> Iterator[tuple[str, str]]:
    """Every GET rule of the app, with this dataset's ids where it takes any."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_RULES \
                or rule.rule.startswith("/api/"):
            continue
        values = _rule_values(rule, entry, world)
        if values is None:
            continue
        takes_ids = any(arg in ID_ARGS for arg in rule.arguments)
        if not takes_ids and entry is not world["entries"]["public"]:
            continue  # the same page for every dataset: once per role
        try:
            path = adapter.build(rule.endpoint, values)
        except Exception:  # noqa: BLE001, S112 - a converter refused our value: not a cell
            continue
        yield rule.endpoint, path + "?q=quokka"


def test_read_actions_and_pages(world, client):
    matrix = Matrix(client, world)
    actions = registry()
    reads = sorted(name for name, fn in actions.items()
                   if getattr(fn, "side_effect_free", False))
    app = client.flask_app
    paths = {level: list(page_paths(app, world, entry))
             for level, entry in world["entries"].items()}
    for role in gw.ROLES:
        for level, entry in world["entries"].items():
            for name in reads:
                matrix.action(role, name, action_params(name, entry, world, role), True)
            for endpoint, path in paths[level]:
                if role not in REACHING_ALL or not MUTATING.search(endpoint):
                    matrix.page(role, path)
    print(f"\ngenerated matrix, reads: {len(reads)} registry actions, "
          f"{sum(map(len, paths.values()))} page paths, {matrix.cells} cells")
    assert matrix.cells > 3000
    assert not matrix.failures, "\n".join(matrix.failures[:80])


def test_storage_holds_no_withheld_url(world):
    """The invariant itself: outside the vault, no table of CKAN's database and no
    search document holds a URL of a restricted or non-public dataset."""
    import ckan.model as model
    import sqlalchemy as sa
    from ckan.lib.search.common import make_connection

    secret = [gw.url_marker(level) for level in gw.LEVELS if level != "public"]
    columns = model.Session.execute(sa.text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', "
        "'json', 'jsonb') AND table_name <> 'retailarea_resource_secret'")).fetchall()
    found = []
    for table, column in columns:
        for marker in secret:
            hits = model.Session.execute(sa.text(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text LIKE :m'),  # noqa: S608 - names from information_schema
                {"m": f"%{marker}%"}).scalar()
            if hits:
                found.append(f"{table}.{column}: {marker}")
    docs = make_connection().search(q="*:*", rows=1000, fl="*")
    for doc in docs:
        for marker in secret:
            if marker in json.dumps(doc, default=str):
                found.append(f"solr {doc.get('name')}: {marker}")
    public = gw.url_marker("public")
    assert any(public in json.dumps(doc, default=str) for doc in docs), "a blind scan"
    assert not found, found


def test_guessing_withheld_urls_counts_nothing(world, client):
    """resource_search answered a count: a withheld URL could be guessed character by
    character. The rows hold no such URL, for anyone."""
    for role in gw.ROLES:
        headers = {"Authorization": world["tokens"][role]} if role in world["tokens"] else {}
        for level in ("restricted", "non_public", "switched"):
            response = client.get("/api/3/action/resource_search", headers=headers,
                                  query_string={"query": f"url:{gw.url_marker(level)}"})
            assert response.json["result"]["count"] == 0, (role, level)
    public = client.get("/api/3/action/resource_search",
                        query_string={"query": f"url:{gw.url_marker('public')}"})
    assert public.json["result"]["count"] == 1


def test_reaching_roles_get_the_real_urls(world, client):
    """The vault gives the values back to those who may reach the data, in every field."""
    for role in ("holder", "member", "sysadmin"):
        for level in ("restricted", "non_public", "switched"):
            response = client.get("/api/3/action/resource_show",
                                  headers={"Authorization": world["tokens"][role]},
                                  query_string={"id": world["entries"][level].link["id"]})
            if not gw.reaches(role, level):
                continue
            resource = response.json["result"]
            expected = gw._link(level)
            for key in ("url", "download_url", "access_url", "api_url", "cache_url",
                        "documentation", "contact"):
                assert resource[key] == expected[key], (role, level, key)


def test_other_actions_as_roles_without_reach(world, client):
    matrix = Matrix(client, world)
    actions = registry()
    writes = sorted(name for name, fn in actions.items()
                    if not getattr(fn, "side_effect_free", False)
                    and not re.match(r"(un)?follow_", name))
    roles = [role for role in gw.ROLES if role not in REACHING_ALL]
    for role in roles:
        for entry in world["entries"].values():
            for name in writes:
                matrix.action(role, name, action_params(name, entry, world, role), False)
    print(f"\ngenerated matrix, other actions: {len(writes)} registry actions, "
          f"{len(roles)} roles, {matrix.cells} cells")
    assert not matrix.failures, "\n".join(matrix.failures[:80])
