"""Awkward but legal datasets still export valid RDF in every format."""
from __future__ import annotations

import pytest
import rdflib
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckanext.retailarea.dcat import store
from tests import factories

PARSERS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld", "xml": "xml"}
NOTES = ("# Kop\n\n<script>alert('x')</script> **vet** & <b>html</b> ]]> \"quotes\" "
         "'apostrof' \\ backslash\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
         "Bell \x07 and form feed \x0c characters.")


@pytest.fixture
def awkward(clean_db, clean_index):
    ckan_factories.Sysadmin(name="admin")
    org = ckan_factories.Organization()
    tags = [{"name": f"tag-{n:03d}"} for n in range(300)]
    resources = [{"url": f"https://example.org/{n}.csv", "name": f"Bestand {n}",
                  "format": "CSV"} for n in range(120)]
    factories.Dataset(name="markdown", owner_org=org["id"], title="Markdown & <HTML>",
                      notes=NOTES, tags=tags, resources=resources)
    factories.Dataset(name="scripts", owner_org=org["id"],
                      title="Ελληνικά · 中文 · العربية · עברית · 🛍️")
    factories.Dataset(name="sober", owner_org=org["id"], title="Sober", notes="")


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_every_format_parses_and_keeps_the_values(awkward, fmt):
    body = "".join(store.stream(fmt))
    graph = rdflib.Graph().parse(data=body, format=PARSERS[fmt])
    titles = {str(graph.value(d, DCTERMS.title)) for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert titles == {"Markdown & <HTML>", "Ελληνικά · 中文 · العربية · עברית · 🛍️", "Sober"}
    (markdown,) = [d for d in graph.subjects(RDF.type, DCAT.Dataset)
                   if str(graph.value(d, DCTERMS.title)).startswith("Markdown")]
    assert len(set(graph.objects(markdown, DCAT.keyword))) == 300
    assert len(set(graph.objects(markdown, DCAT.distribution))) == 120
    description = str(graph.value(markdown, DCTERMS.description))
    assert "<script>alert('x')</script>" in description
    assert "| 1 | 2 |" in description


def test_xml_replaces_only_the_characters_xml_cannot_carry(awkward):
    body = "".join(store.stream("xml"))
    graph = rdflib.Graph().parse(data=body, format="xml")
    descriptions = [str(o) for o in graph.objects(None, DCTERMS.description)]
    (notes,) = [d for d in descriptions if d.startswith("# Kop")]
    assert notes == NOTES.replace("\x07", "\ufffd").replace("\x0c", "\ufffd")
    nt = rdflib.Graph().parse(data="".join(store.stream("nt")), format="nt")
    assert NOTES in [str(o) for o in nt.objects(None, DCTERMS.description)]


def test_the_page_endpoint_serves_them_too(app, awkward):
    response = app.get("/catalog.rdf")
    assert response.status_code == 200
    rdflib.Graph().parse(data=response.get_data(as_text=True), format="xml")
    helpers.call_action("package_patch", {"user": "admin"}, id="sober", notes="Nieuw")
    assert "Nieuw" in app.get("/catalog.ttl").get_data(as_text=True)


def test_malformed_stored_values_are_reported_not_fatal(awkward, cli):
    from ckan import model

    from ckanext.retailarea.cli import retailarea

    package = model.Package.get("sober")
    package.extras = {**package.extras, "spatial": "{not json", "temporal_start": "gisteren",
                      "retention_period": "forever", "frequency": "SOMETIMES",
                      "theme": '["XYZ"]'}
    model.Session.commit()
    assert store.refresh(package.id) is not None
    model.Session.commit()
    for fmt, parser in PARSERS.items():
        graph = rdflib.Graph().parse(data="".join(store.stream(fmt)), format=parser)
        assert "Sober" in {str(t) for t in graph.objects(None, DCTERMS.title)}
    result = cli.invoke(retailarea, ["dcat", "validate", "--dataset", "sober"])
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert "frequency: stored value 'SOMETIMES' is not a known code" in result.output
