"""Issue 19 part 4: where a harvested dataset lacks what DCAT-AP requires, the export
states a documented stand-in (dcat/fallbacks.py), the harvest job page lists it per
dataset (kept apart from errors and mapping notes), and the dataset page tells its
editors which stand-in is in effect."""
from __future__ import annotations

import pytest
from ckan.tests import factories as ckan_factories

from tests.harvesters.conftest import datasets_of
from tests.harvesters.server import Reply

# No with_request_context: the pages are requested as the sysadmin of their token.
pytestmark = [
    pytest.mark.ckan_config("ckanext.retailarea.harvest.allow_private_addresses", True),
]
PUBLIC = "<http://publications.europa.eu/resource/authority/access-right/PUBLIC>"
CATALOG = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<https://elders.example/catalog> a dcat:Catalog ;
  dcat:dataset <https://elders.example/ds/bare>, <https://elders.example/ds/full> .
<https://elders.example/ds/bare> a dcat:Dataset ; dct:title "Kale dataset" ;
  dct:accessRights {PUBLIC} ;
  dcat:distribution [ a dcat:Distribution ; dct:title "Bestand" ;
                      dcat:accessURL <https://files.example/bare.csv> ] .
<https://elders.example/ds/full> a dcat:Dataset ; dct:title "Volledige dataset" ;
  dct:description "Alles wat DCAT-AP vraagt." ; dct:accessRights {PUBLIC} ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Team data" ;
                      vcard:hasEmail <mailto:data@elders.example> ] ;
  dcat:distribution [ a dcat:Distribution ; dct:title "Bestand" ;
      dct:license <http://publications.europa.eu/resource/authority/licence/CC_BY_4_0> ;
      dcat:accessURL <https://files.example/full.csv> ] .
""".encode()


@pytest.fixture
def harvested(org, catalog_server, make_source, run_harvest):
    url = catalog_server.route("/catalog.ttl", Reply(CATALOG, content_type="text/turtle"))
    source = make_source("dcat_rdf", url)
    run = run_harvest(source)
    copies = {d["title"]: d for d in datasets_of(source).values()}
    return source, run, copies


def _stand_ins(run):
    return {o.package_id: sorted(e.value for e in o.extras if e.key == "fallback")
            for o in run.objects if o.package_id}


def test_the_harvest_records_each_dataset_s_stand_ins_apart_from_errors(harvested):
    _source, run, copies = harvested
    assert run.object_errors == [] and run.gather_errors == []
    notes = _stand_ins(run)
    bare = notes[copies["Kale dataset"]["id"]]
    assert any("no description" in n for n in bare)
    assert any("no contact" in n for n in bare)
    assert any("no licence" in n for n in bare)
    assert notes[copies["Volledige dataset"]["id"]] == []
    assert not any("DCAT-AP fallback" in n for n in run.notes)  # not a mapping note


def test_the_job_page_lists_the_stand_ins_per_dataset(app, harvested):
    source, run, copies = harvested
    sysadmin = ckan_factories.SysadminWithToken()
    page = app.get(f"/harvest/{source['name']}/job/{run.job['id']}",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    section = page[page.index("DCAT-AP stand-ins"):]
    assert "Kale dataset" in section and "Volledige dataset" not in section
    assert "no description; the export states the title as dct:description" in section


@pytest.mark.parametrize("lang, says", [
    ("en", "No description: the export states the title as the description."),
    ("nl", "Geen beschrijving: de export geeft de titel als beschrijving."),
])
def test_the_dataset_page_tells_its_editors(app, harvested, lang, says):
    _source, _run, copies = harvested
    bare = copies["Kale dataset"]
    sysadmin = ckan_factories.SysadminWithToken()
    prefix = "" if lang == "en" else "/nl"
    page = app.get(f"{prefix}/dataset/{bare['name']}",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert 'data-fallback="description"' in page and says in page
    assert 'data-fallback="contact"' in page
    anonymous = app.get(f"/dataset/{bare['name']}").get_data(as_text=True)
    assert "data-fallback" not in anonymous
    full = app.get(f"/dataset/{copies['Volledige dataset']['name']}",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert "data-fallback" not in full
