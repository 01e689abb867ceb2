"""The services behind CKAN are the real thing: Solr answers searches, Redis runs jobs,
the DCAT endpoint serves Turtle."""
from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from tests import factories


def multiply(a: int, b: int) -> int:
    """A background job: runs in the rq worker's forked process."""
    return a * b


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dataset_created_through_api_is_found_by_solr():
    user = ckan_factories.User()
    org = ckan_factories.Organization(user=user)
    helpers.call_action(
        "package_create", context={"user": user["name"]},
        name="passanten-gouda", title="Passantentellingen Gouda",
        notes="Bezoekersaantallen per uur in de binnenstad", owner_org=org["id"],
        access_level="public", contains_personal_data=False, theme=["ECON"],
    )

    result = helpers.call_action("package_search", q="bezoekersaantallen")

    assert result["count"] == 1
    assert result["results"][0]["name"] == "passanten-gouda"


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_search_really_queries_solr():
    """package_search must fail when Solr does not hold the dataset, so it is not
    answered from the database."""
    import ckan.lib.search as search

    org = ckan_factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], title="Parkeergarage Markt")
    search.clear_all()

    assert helpers.call_action("package_search", q="parkeergarage")["count"] == 0
    search.rebuild(dataset["id"])
    assert helpers.call_action("package_search", q="parkeergarage")["count"] == 1


@pytest.mark.usefixtures("clean_db")
def test_background_job_runs_through_redis():
    queue = "retailarea-test"
    jobs.get_queue(queue).empty()
    job = tk.enqueue_job(multiply, [6, 7], queue=queue)

    assert job.get_status() == "queued"
    assert job.id in jobs.get_queue(queue).job_ids

    jobs.Worker([queue]).work(burst=True)

    job.refresh()
    assert job.get_status() == "finished"
    assert job.result == 42


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_catalog_ttl_parses_as_turtle(app):
    org = ckan_factories.Organization()
    factories.Dataset(owner_org=org["id"], name="winkels-gouda", title="Winkels Gouda")

    response = app.get("/catalog.ttl")

    assert response.status_code == 200
    assert "text/turtle" in response.headers["Content-Type"]
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = list(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == 1
    titles = [str(t) for t in graph.objects(datasets[0], rdflib.namespace.DCTERMS.title)]
    assert titles == ["Winkels Gouda"]


def test_datastore_has_a_read_only_user():
    """The DataStore reads through its own role, which may not write."""
    import sqlalchemy as sa

    read_url = tk.config["ckan.datastore.read_url"]
    write_url = tk.config["ckan.datastore.write_url"]
    assert sa.engine.make_url(read_url).username != sa.engine.make_url(write_url).username

    engine = sa.create_engine(read_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                conn.execute(sa.text("CREATE TABLE retailarea_ro_probe (id int)"))
    finally:
        engine.dispose()


@pytest.mark.slow
@pytest.mark.usefixtures("clean_db", "clean_index")
def test_search_index_survives_a_solr_restart():
    import pathlib
    import subprocess

    root = pathlib.Path(__file__).resolve().parents[1]
    org = ckan_factories.Organization()
    factories.Dataset(owner_org=org["id"], name="blijvertje", title="Blijvertje")
    helpers.call_action("package_search", q="blijvertje")  # committed and visible

    for step in ("stop", "start"):
        subprocess.run(["config/solr/solr.sh", step], cwd=root, check=True,
                       capture_output=True, timeout=180)

    result = helpers.call_action("package_search", q="blijvertje")
    assert [d["name"] for d in result["results"]] == ["blijvertje"]
