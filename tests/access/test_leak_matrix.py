"""The leak matrix: every access level x role x path, asserting exactly what is visible.

One world is built per module (three datasets, nine roles) and every cell is one request
against the real stack. ``metadata`` says whether the dataset may be seen at all,
``data`` whether its data (URLs, files, DataStore rows, views) may be reached."""
from __future__ import annotations

import datetime as dt
import io
import json

import ckan.model as model
import ckan.plugins as plugins
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.retailarea.model.access import AccessGrant, now
from tests import factories

LEVELS = ["public", "restricted", "non_public"]
ROLES = ["anonymous", "stranger", "pending", "holder", "expired", "revoked", "member",
         "admin", "sysadmin"]
SECRET = "secret-{level}.example.org"
CSV = "location_id,count\nGOU-01,12\n"


def metadata_visible(level: str, role: str) -> bool:
    return level != "non_public" or role in ("member", "admin", "sysadmin")


def data_reachable(level: str, role: str) -> bool:
    if level == "public":
        return True
    allowed = {"member", "admin", "sysadmin"} | ({"holder"} if level == "restricted" else set())
    return role in allowed


def _migrate():
    from ckan.cli.db import _run_migrations

    for plugin in ("activity", "harvest", "retailarea"):
        _run_migrations(plugin)


def _clean_datastore():
    import ckanext.datastore.backend.postgres as db
    from ckanext.datastore.tests.helpers import clear_db
    from sqlalchemy import orm

    session = orm.scoped_session(orm.sessionmaker(bind=db.get_write_engine()))
    clear_db(session)
    session.remove()


def _dataset(level: str, org: dict, area: dict, admin: dict) -> dict:
    extra = {"permitted_purposes": ["AcademicResearch"]} if level == "restricted" else {}
    dataset = factories.Dataset(
        name=f"matrix-{level}", title=f"Matrix {level} zebrafinch", owner_org=org["id"],
        access_level=level, groups=[{"name": area["name"]}], user=admin, **extra)
    context = {"user": admin["name"]}
    upload = FileStorage(io.BytesIO(CSV.encode()), "counts.csv", content_type="text/csv")
    uploaded = helpers.call_action("resource_create", context, package_id=dataset["id"],
                                   name="counts", format="TXT", upload=upload)
    link = helpers.call_action("resource_create", context, package_id=dataset["id"],
                               name="link", url=f"https://{SECRET.format(level=level)}/x.csv")
    helpers.call_action("datastore_create", context, resource_id=uploaded["id"], force=True,
                        aliases=[f"matrix_{level}_alias"],
                        fields=[{"id": "location_id"}, {"id": "count", "type": "int"}],
                        records=[{"location_id": "GOU-01", "count": 12}])
    view = helpers.call_action("resource_view_create", context, resource_id=uploaded["id"],
                               view_type="datatables_view", title="Table")
    return {"dataset": dataset, "upload": uploaded, "link": link, "view": view}


def _grant(user: dict, package_id: str, admin: dict, *, expires: dt.datetime,
           revoked: bool = False) -> None:
    grant = AccessGrant(request_id="direct", package_id=package_id, user_id=user["id"],
                        purpose="AcademicResearch", expires=expires,
                        granted_by=admin["name"], revoked_at=now() if revoked else None)
    model.Session.add(grant)
    model.Session.commit()


def _harvest_object(package_id: str, level: str) -> str:
    from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource

    source = HarvestSource(url=f"https://source-{level}.example.org/", type="ckan")
    source.save()
    job = HarvestJob(source=source)
    job.save()
    obj = HarvestObject(job=job, source=source, guid=level, package_id=package_id,
                        content=json.dumps({"url": f"https://{SECRET.format(level=level)}"}))
    obj.save()
    return obj.id


@pytest.fixture(scope="module")
def world(reset_db, reset_index):
    plugins.load_all()
    reset_db()
    reset_index()
    _migrate()
    _clean_datastore()
    users = {role: ckan_factories.User(name=f"role-{role}") for role in ROLES[1:]}
    model.User.get("role-sysadmin").sysadmin = True
    model.Session.commit()
    org = ckan_factories.Organization(name="matrix-org", users=[
        {"name": "role-member", "capacity": "member"},
        {"name": "role-admin", "capacity": "admin"},
    ])
    admin = users["admin"]
    area = factories.RetailArea(name="matrix-area",
                                users=[{"name": admin["name"], "capacity": "admin"}])
    datasets = {level: _dataset(level, org, area, admin) for level in LEVELS}
    restricted_id = datasets["restricted"]["dataset"]["id"]
    later, earlier = now() + dt.timedelta(days=30), now() - dt.timedelta(days=1)
    _grant(users["holder"], restricted_id, admin, expires=later)
    _grant(users["expired"], restricted_id, admin, expires=earlier)
    _grant(users["revoked"], restricted_id, admin, expires=later, revoked=True)
    helpers.call_action("retailarea_access_request_create", {"user": "role-pending"},
                        package_id=restricted_id, purpose="AcademicResearch",
                        justification="Please")
    for level in LEVELS:
        datasets[level]["harvest_object"] = _harvest_object(
            datasets[level]["dataset"]["id"], level)
    tokens = {
        role: helpers.call_action("api_token_create", {"user": user["name"]},
                                  user=user["name"], name="matrix")["token"]
        for role, user in users.items()
    }
    yield {"datasets": datasets, "tokens": tokens, "org": org, "area": area}
    plugins.unload_all()


@pytest.fixture(scope="module")
def client(world):
    return helpers._get_test_app()


class Cell:
    def __init__(self, world, client, level, role):
        self.client = client
        self.level = level
        self.role = role
        self.items = world["datasets"][level]
        self.name = self.items["dataset"]["name"]
        token = world["tokens"].get(role)
        self.headers = {"Authorization": token} if token else {}
        self.secret = SECRET.format(level=level)

    def get(self, url, **params):
        return self.client.get(url, query_string=params, headers=self.headers,
                               follow_redirects=False)

    def post(self, url, body):
        return self.client.post(url, json=body, headers=self.headers)

    def api(self, action, **params):
        return self.get(f"/api/3/action/{action}", **params)

    def text(self, response) -> str:
        return response.get_data(as_text=True)


CELLS = [(level, role) for level in LEVELS for role in ROLES]


@pytest.fixture(params=CELLS, ids=[f"{lvl}-{role}" for lvl, role in CELLS])
def cell(request, world, client):
    level, role = request.param
    return Cell(world, client, level, role)


def expect(cell):
    return metadata_visible(cell.level, cell.role), data_reachable(cell.level, cell.role)


def test_package_show(cell):
    seen, reach = expect(cell)
    response = cell.api("package_show", id=cell.name)
    assert (response.status_code == 200) == seen
    if seen:
        assert (cell.secret in cell.text(response)) == reach
        link = [r for r in response.json["result"]["resources"] if r["name"] == "link"][0]
        # those who may not reach the data see the neutral guarded route, nothing else
        assert link["url"].endswith(f"/access/resource/{link['id']}") == (not reach)
        upload = [r for r in response.json["result"]["resources"] if r["name"] == "counts"]
        assert upload[0]["url"].endswith(f"/resource/{upload[0]['id']}/download/counts.csv")


def test_resource_show(cell):
    seen, reach = expect(cell)
    response = cell.api("resource_show", id=cell.items["link"]["id"])
    assert (response.status_code == 200) == seen
    if seen:
        assert (cell.secret in cell.text(response)) == reach


@pytest.mark.parametrize("params", [
    {"q": "zebrafinch"},
    {"q": "zebrafinch", "include_private": "true"},
    {"q": "*:*", "fq": "res_url:*secret*", "include_private": "true"},
    {"q": "urls:secret", "include_private": "true"},
    {"q": "zebrafinch", "fl": "name,res_url,data_dict", "include_private": "true"},
])
def test_package_search_and_its_tricks(cell, params):
    seen, reach = expect(cell)
    private_ok = params.get("include_private") == "true"
    response = cell.api("package_search", rows=100, **params)
    assert response.status_code == 200
    body = cell.text(response)
    listed = f'"matrix-{cell.level}"' in body or f"matrix-{cell.level}\\" in body
    if "res_url" in params.get("fq", "") or "urls:" in params["q"]:
        # only datasets whose URLs are indexed can match: never a restricted or
        # non-public one (their URLs are in the vault, not in the rows the index reads)
        expected = seen and cell.level == "public"
    else:
        expected = seen and (cell.level != "non_public" or private_ok)
    assert listed == expected
    assert (cell.secret in body) == (expected and cell.level == "public")


def test_resource_download(cell):
    _, reach = expect(cell)
    url = f"/dataset/{cell.name}/resource/{cell.items['upload']['id']}/download/counts.csv"
    response = cell.get(url)
    assert (response.status_code == 200) == reach
    if reach:
        assert cell.text(response) == CSV
    link = cell.get(f"/dataset/{cell.name}/resource/{cell.items['link']['id']}/download")
    assert (link.status_code == 302 and cell.secret in link.headers["Location"]) == reach


def test_resource_views_and_previews(cell):
    seen, reach = expect(cell)
    resource_id = cell.items["upload"]["id"]
    view_id = cell.items["view"]["id"]
    page = cell.get(f"/dataset/{cell.name}/resource/{resource_id}/view/{view_id}")
    assert (page.status_code == 200) == reach
    views = cell.api("resource_view_list", id=resource_id)
    assert (views.status_code == 200) == seen
    if seen:
        assert bool(views.json["result"]) == reach
    shown = cell.api("resource_view_show", id=view_id)
    assert (shown.status_code == 200) == reach
    ajax = cell.client.post(f"/datatables/ajax/{view_id}", headers=cell.headers,
                            data={"draw": "1", "start": "0", "length": "10",
                                  "search[value]": "", "order[0][column]": "0",
                                  "order[0][dir]": "asc"})
    assert ("GOU-01" in cell.text(ajax)) == reach


def test_resource_page(cell):
    seen, reach = expect(cell)
    page = cell.get(f"/dataset/{cell.name}/resource/{cell.items['link']['id']}")
    assert (page.status_code == 200) == seen
    if seen:
        assert (cell.secret in cell.text(page)) == reach


def test_datastore(cell):
    _, reach = expect(cell)
    resource_id = cell.items["upload"]["id"]
    search = cell.api("datastore_search", resource_id=resource_id)
    assert (search.status_code == 200) == reach
    assert ("GOU-01" in cell.text(search)) == reach
    sql = cell.api("datastore_search_sql", sql=f'SELECT * FROM "{resource_id}"')  # noqa: S608
    assert (sql.status_code == 200) == reach
    assert ("GOU-01" in cell.text(sql)) == reach
    alias = f"matrix_{cell.level}_alias"
    by_alias = cell.api("datastore_search", resource_id=alias)
    assert ("GOU-01" in cell.text(by_alias)) == reach
    sql_alias = cell.api("datastore_search_sql", sql=f'SELECT * FROM "{alias}"')  # noqa: S608
    assert ("GOU-01" in cell.text(sql_alias)) == reach
    info = cell.api("datastore_info", id=resource_id)
    assert (info.status_code == 200) == reach
    dump = cell.get(f"/datastore/dump/{resource_id}")
    assert (dump.status_code == 200 and "GOU-01" in cell.text(dump)) == reach


def test_activity_streams(cell):
    seen, reach = expect(cell)
    plain = cell.api("package_activity_list", id=cell.name)
    detailed = cell.api("package_activity_list", id=cell.name, include_data="true")
    for response in (plain, detailed):
        assert (response.status_code == 200) == seen
    org = cell.api("organization_activity_list", id="matrix-org", include_data="true")
    recent = cell.api("recently_changed_packages_activity_list")
    for response in (plain, detailed, org, recent):
        assert (cell.secret in cell.text(response)) <= reach
    if seen:
        activity_id = plain.json["result"][0]["id"]
        shown = cell.api("activity_show", id=activity_id, include_data="true")
        data = cell.api("activity_data_show", id=activity_id)
        assert (cell.secret in cell.text(shown) + cell.text(data)) <= reach


def test_dataset_page_and_embedded_json_ld(cell):
    seen, reach = expect(cell)
    page = cell.get(f"/dataset/{cell.name}")
    assert (page.status_code == 200) == seen
    if seen:
        body = cell.text(page)
        assert (cell.secret in body) == reach
        assert "application/ld+json" not in body or cell.secret not in body or reach


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf", "xml"])
def test_dcat_dataset_endpoints(cell, fmt):
    seen, reach = expect(cell)
    response = cell.get(f"/dataset/{cell.name}.{fmt}")
    assert (response.status_code == 200) == seen
    if seen:
        # DCAT travels to other catalogs: restricted distributions never carry their URL,
        # not even for holders, and non-public datasets are never exported
        assert (cell.secret in cell.text(response)) == (reach and cell.level == "public")
        assert (cell.name in cell.text(response) or cell.items["dataset"]["id"] in
                cell.text(response)) == (cell.level != "non_public")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "rdf", "xml"])
def test_dcat_catalog(cell, fmt):
    response = cell.get(f"/catalog.{fmt}")
    assert response.status_code == 200
    body = cell.text(response)
    assert (f"matrix-{cell.level}" in body or cell.items["dataset"]["id"] in body) == (
        cell.level != "non_public")
    assert (cell.secret in body) == (cell.level == "public")


def test_harvest_object_show(cell):
    _, reach = expect(cell)
    response = cell.api("harvest_object_show", id=cell.items["harvest_object"])
    assert (response.status_code == 200) == reach
    assert (cell.secret in cell.text(response)) == reach


def test_autocomplete(cell):
    seen, _ = expect(cell)
    response = cell.api("package_autocomplete", q="matrix")
    names = {d["name"] for d in response.json["result"]}
    assert (cell.name in names) == seen


def test_group_and_organization_pages(cell):
    seen, _ = expect(cell)
    title = f"Matrix {cell.level} zebrafinch"
    area = cell.get("/retail-area/matrix-area")
    org = cell.get("/organization/matrix-org")
    assert (title in cell.text(area)) == seen
    assert (title in cell.text(org)) == seen
    assert cell.secret not in cell.text(area) + cell.text(org)


def test_package_lists(cell):
    names = cell.api("package_list").json["result"]
    assert (cell.name in names) == (cell.level != "non_public")
    current = cell.api("current_package_list_with_resources", limit=100)
    body = cell.text(current)
    listed = f'"{cell.name}"' in body
    assert listed == (cell.level != "non_public" or cell.role == "sysadmin")
    assert (cell.secret in body) == (listed and cell.level == "public")
