"""A small site made on CKAN 2.11 by the current code, and what must survive its upgrade.

``python -m tests.upgrade.site build INI`` fills the (empty, migrated) databases behind INI
with typed datasets (a public footfall dataset with a CSV for the DataStore and its day
totals, a restricted shop register whose URLs live in the vault, a non-public one), a
retail area, an access request with its grant and access-log entries, and kept DCAT.
``python -m tests.upgrade.site snapshot INI`` prints, as JSON, everything a site must
keep: datasets, vault secrets, requests, grants, log entries, footfall summaries, what
search finds and the kept DCAT. ``bin/upgrade-fixture`` runs both on CKAN 2.11 and dumps
the databases; tests/upgrade/test_upgrade.py restores them, upgrades them as ``make run``
does and compares the snapshot with the one taken before.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
from typing import Any

import ckan.model as model
import rdflib
import sqlalchemy as sa
from ckan.cli import load_config
from ckan.config.middleware import make_app
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage
from werkzeug.test import Client

from ckanext.retailarea.access import log as access_log
from ckanext.retailarea.access import vault
from ckanext.retailarea.model.access import AccessGrant, AccessLog, AccessRequest
from ckanext.retailarea.model.dcat import DatasetRDF

COUNTS = (
    "location_id,interval_start,interval,direction,mode,count,imputed\n"
    + "".join(f"GOU-0{loc},2025-06-0{day}T{hour:02d}:00:00+02:00,PT1H,in,pedestrian,"
              f"{loc * 10 + day + hour},{'true' if hour == 12 else 'false'}\n"
              for loc in (1, 2) for day in (2, 3, 4) for hour in range(9, 18))
)
SECRET_URL = "https://winkels.gouda.example/register.csv"
COMMON = {"contains_personal_data": False, "theme": ["ECON"], "frequency": "MONTHLY"}


def act(action: str, as_user: str = "upgrade-admin", **data: Any) -> Any:
    """Call ``action`` as ``as_user`` (the sysadmin, unchecked, by default)."""
    context = {"ignore_auth": as_user == "upgrade-admin", "user": as_user}
    return helpers.call_action(action, context, **data)


def build() -> None:
    for name in ("upgrade-admin", "steward", "researcher"):
        act("user_create", as_user="", name=name, email=f"{name}@retailarea.invalid",
            password="correct-horse-battery")
    model.User.by_name("upgrade-admin").sysadmin = True
    model.Session.commit()
    org = act("organization_create", name="gouda", title="Gemeente Gouda",
              users=[{"name": "steward", "capacity": "admin"}])
    act("group_create", type="retail-area", name="gouda-binnenstad", title="Gouda binnenstad",
        municipality_code="GM0513", area_kind="city_centre",
        users=[{"name": "steward", "capacity": "member"}],
        geometry='{"type":"Polygon","coordinates":[[[4.70,52.00],[4.72,52.00],'
                 '[4.72,52.02],[4.70,52.02],[4.70,52.00]]]}')
    groups = [{"name": "gouda-binnenstad"}]
    footfall = act("package_create", as_user="steward", type="footfall", name="tellingen-gouda",
                   title="Tellingen Gouda", owner_org=org["id"], groups=groups,
                   access_level="public", counting_method="thermal", number_of_sensors=2,
                   temporal_resolution="PT1H", **COMMON)
    act("resource_create", as_user="steward", package_id=footfall["id"], name="counts",
        format="CSV", upload=FileStorage(io.BytesIO(COUNTS.encode()), "counts.csv",
                                         content_type="text/csv"))
    shops = act("package_create", as_user="steward", type="shop-register", name="winkels-gouda",
                title="Winkels Gouda", owner_org=org["id"], groups=groups,
                classification_scheme="locatus", access_level="restricted",
                access_reason="ECONOMISCHE_BELANGEN",
                permitted_purposes=["AcademicResearch"], usage_conditions="Research only.",
                resources=[{"name": "register", "url": SECRET_URL, "format": "CSV"}],
                **COMMON)
    act("package_create", as_user="steward", type="parking", name="parkeren-gouda",
        title="Parkeren Gouda", owner_org=org["id"], groups=groups, standard="SPDP 2.0",
        access_level="non_public",
        access_reason="PRIVACY", **COMMON)
    request = act("retailarea_access_request_create", as_user="researcher",
                  package_id=shops["id"], purpose="AcademicResearch",
                  justification="Vacancy study of the city centre.")
    act("retailarea_access_request_decide", as_user="steward", id=request["id"],
        decision="approve", expires=(dt.date.today() + dt.timedelta(days=3650)).isoformat(),
        reason="Approved for the study.")
    grant = model.Session.query(AccessGrant).one()
    resource_id = act("package_show", id=shops["id"])["resources"][0]["id"]
    for action in ("download", "datastore_search"):
        access_log.record(grant, action, resource_id)


def _rows(table: Any) -> list[dict[str, Any]]:
    columns = [c.key for c in sa.inspect(table).columns]
    rows = model.Session.query(table).order_by(table.id).all()
    return [{c: str(getattr(row, c)) for c in columns} for row in rows]


def _dcat(app: Any) -> dict[str, Any]:
    kept = {}
    for row in model.Session.query(DatasetRDF).order_by(DatasetRDF.name):
        graph = rdflib.Graph().parse(data=row.ntriples, format="nt")
        kept[row.name] = {"uri": row.dataset_uri, "triples": len(graph)}
    client = Client(app)
    catalog = client.get("/catalog.ttl")
    graph = rdflib.Graph().parse(data=catalog.get_data(as_text=True), format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    served = sorted(str(s) for s in graph.subjects(rdflib.RDF.type, dcat.Dataset))
    return {"kept": kept, "catalog_status": catalog.status_code, "catalog_datasets": served}


def _search() -> dict[str, Any]:
    everything = act("package_search", q="*:*", rows=100, include_private=True,
                     **{"facet.field": ["dataset_type", "access_level"]})
    public = helpers.call_action("package_search", {"ignore_auth": False, "user": ""},
                                 q="Gouda", rows=100)
    return {"names": sorted(p["name"] for p in everything["results"]),
            "facets": {k: dict(sorted(v.items())) for k, v in everything["facets"].items()},
            "anonymous": sorted(p["name"] for p in public["results"])}


def snapshot(app: Any) -> dict[str, Any]:
    packages = model.Session.query(model.Package).filter_by(state="active").order_by(
        model.Package.name)
    datasets = {}
    for package in packages:
        shown = act("package_show", id=package.id)
        datasets[package.name] = {
            "type": shown["type"], "access_level": shown.get("access_level"),
            "private": shown["private"], "groups": [g["name"] for g in shown["groups"]],
            "resources": sorted(r["name"] for r in shown["resources"]),
            "vault": vault.kept(package.id)}
    footfall = model.Package.by_name("tellingen-gouda").id
    return {
        "datasets": datasets,
        "requests": _rows(AccessRequest), "grants": _rows(AccessGrant),
        "log": _rows(AccessLog),
        "footfall": {period: act("retailarea_footfall_series", id=footfall, period=period)
                     for period in ("day", "month")},
        "search": _search(), "dcat": _dcat(app),
    }


def main(command: str, ini: str) -> None:
    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        if command == "build":
            build()
        else:
            json.dump(snapshot(app), sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(*sys.argv[1:3])
