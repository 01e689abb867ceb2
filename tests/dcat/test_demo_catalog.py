"""The whole demo catalog through the real stack: every dataset's DCAT conforms to the
shapes, parses back to the same field values, and stewards can check it from the CLI."""
from __future__ import annotations

import json

import ckan.model as model
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser, RDFSerializer
from rdflib.namespace import RDF

from ckanext.retailarea.cli import retailarea
from ckanext.retailarea.demo import loader

FIELDS = ["title", "notes", "access_level", "access_reason", "contains_personal_data",
          "permitted_purposes", "legal_basis", "usage_conditions", "theme", "frequency",
          "temporal_start", "temporal_end", "conforms_to", "classification_scheme",
          "reference_date", "feed_source", "language", "area_manager_id", "standard",
          "counting_method", "number_of_sensors", "license_id"]


@pytest.fixture(scope="module")
def demo(reset_db, reset_index):
    import ckan.plugins as plugins
    from ckan.cli.db import _run_migrations

    plugins.load_all()
    reset_db()
    reset_index()
    for plugin in ("activity", "harvest", "retailarea"):
        _run_migrations(plugin)
    ckan_factories.Sysadmin(name="admin")
    loader.load(report=lambda line: None)
    yield
    plugins.unload_all()


def exported_datasets() -> list[dict]:
    names = helpers.call_action("package_list", {"user": "admin"})
    return [helpers.call_action("package_show", {"user": "admin", "ignore_auth": True},
                                id=name) for name in names]


@pytest.mark.usefixtures("demo")
def test_every_exported_field_comes_back():
    datasets = exported_datasets()
    assert {d["type"] for d in datasets} == {"footfall", "parking", "events", "shop-register",
                                             "dataset"}
    for original in datasets:
        serializer = RDFSerializer()
        serializer.graph_from_dataset(original)
        parser = RDFParser()
        parser.parse(serializer.g.serialize(format="turtle"), _format="turtle")
        (parsed,) = list(parser.datasets())
        assert parsed["type"] == original["type"], original["name"]
        for field in FIELDS:
            want, got = original.get(field), parsed.get(field)
            if want in (None, "", []):
                continue
            assert str(got) == str(want) or got == want, (original["name"], field, got)
        if original.get("spatial"):
            assert json.loads(parsed["spatial"]) == json.loads(original["spatial"])


@pytest.mark.usefixtures("demo")
def test_each_city_s_footfall_years_form_a_series():
    for city in ("gouda", "arnhem"):
        series = helpers.call_action("package_show", id=f"passantentellingen-{city}-reeks")
        part = helpers.call_action("package_show", id=f"passantentellingen-{city}")
        assert part["in_series"] == [series["id"]]
        serializer = RDFSerializer()
        ref = serializer.graph_from_dataset(series)
        assert {str(t).rsplit("#", 1)[-1] for t in serializer.g.objects(
            ref, RDF.type)} == {"Dataset", "DatasetSeries"}


@pytest.mark.usefixtures("demo")
def test_cli_validates_the_demo_catalog(cli):
    result = cli.invoke(retailarea, ["dcat", "validate"])
    assert result.exit_code == 0, result.output
    assert "8 of 8 datasets conform" in result.output
    assert "leegstandssignalen-gouda" not in result.output  # never exported


@pytest.mark.usefixtures("demo")
def test_cli_reports_a_malformed_stored_value_instead_of_crashing(cli):
    package = model.Package.get("evenementen-binnensteden")
    package.extras["frequency"] = "SOMETIMES"
    model.Session.commit()
    try:
        result = cli.invoke(retailarea, ["dcat", "validate", "--dataset",
                                         "evenementen-binnensteden"])
    finally:
        package.extras["frequency"] = "WEEKLY"
        model.Session.commit()
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert "evenementen-binnensteden: 1 problem(s)" in result.output
    assert "frequency: stored value 'SOMETIMES' is not a known code" in result.output
