"""The DCAT output validates against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 with the shapes that
ship in ckanext/retailarea/dcat/profiles/shacl/, and the validation helper reports properly."""
from __future__ import annotations

from importlib import resources

import pytest
from ckanext.dcat.profiles import DCT, RDFProfile
from rdflib import Graph, Literal, URIRef

from ckanext.retailarea.dcat.profiles import shacl
from tests.dcat.profiles import datasets

ALL_SHAPES = ("dcat-ap-3", "dcat-ap-nl", "dcat-ap-3-vocabularies", "dcat-ap-nl-recommended")


def graph_of(serializer, *dataset_dicts, profiles=None):
    s = serializer(profiles)
    for dataset_dict in dataset_dicts:
        s.graph_from_dataset(dataset_dict)
    return s.g


@pytest.mark.parametrize("kind", list(datasets.ALL_TYPES))
def test_each_dataset_type_has_no_violations(serializer, kind):
    graph = graph_of(serializer, datasets.ALL_TYPES[kind]())

    report = shacl.validate(graph)
    assert report.conforms, report.summary()
    full = shacl.validate(graph, ALL_SHAPES)
    assert full.violations == [], full.summary()


@pytest.mark.parametrize("kind", ["footfall", "restricted"])
def test_the_output_validates_without_the_eu_code_lists(serializer, kind):
    """Code-list values describe themselves (type, label), as external validators that
    do not load the EU tables need."""
    graph = graph_of(serializer, datasets.ALL_TYPES[kind]())

    report = shacl.validate(graph, vocabularies=False)
    assert report.conforms, report.summary()


def test_edge_cases_have_no_violations(serializer):
    many = datasets.package(tags=[{"name": f"trefwoord-{n}"} for n in range(300)],
                            notes="**Markdown** <i>html</i> 商店街 العربية")
    many["resources"] = [datasets.resource(many["id"], n) for n in range(200)]
    bare = datasets.generic(
        spatial=None, temporal_start=None, temporal_end=None, temporal_resolution=None,
        frequency=None, permitted_purposes=[], usage_conditions="", retention_period="",
        conforms_to=[], groups=[], tags=[], url="", maintainer=None, maintainer_email=None,
        contains_personal_data=None, resources=[],
    )
    graph = graph_of(serializer, many, bare)

    report = shacl.validate(graph)
    assert report.conforms, report.summary()


def test_a_catalog_of_every_type_has_no_violations(serializer, monkeypatch):
    # The catalog's dct:modified comes from a search of the shared index: fixed here.
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification",
                        lambda self: "2025-06-01T10:00:00")
    s = serializer()
    dataset_dicts = [build() for build in datasets.ALL_TYPES.values()]
    s.serialize_catalog({}, dataset_dicts, _format="turtle")

    report = shacl.validate(s.g)
    assert report.conforms, report.summary()
    assert shacl.validate(s.g, ALL_SHAPES).violations == []


def test_the_catalog_has_what_dcat_ap_nl_requires(serializer, monkeypatch):
    monkeypatch.setattr(RDFProfile, "_last_catalog_modification",
                        lambda self: "2025-06-01T10:00:00")
    s = serializer()
    ref = s.graph_from_catalog({})
    g = s.g

    assert g.value(ref, DCT.description) is not None
    assert len(list(g.objects(ref, DCT.publisher))) == 1
    assert set(g.objects(ref, DCT.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
        URIRef("http://publications.europa.eu/resource/authority/language/NLD"),
    }
    assert not [o for o in g.objects(ref, DCT.language) if isinstance(o, Literal)]


def test_euro_dcat_ap_3_alone_does_not_validate(serializer):
    """Our codes as ckanext-dcat writes them break DCAT-AP: the shapes do bite."""
    graph = graph_of(serializer, datasets.package(), profiles=["euro_dcat_ap_3"])

    report = shacl.validate(graph)
    assert not report.conforms
    paths = {f.path for f in report.violations}
    assert str(DCT.accrualPeriodicity) in paths
    assert str(DCT.creator) in paths


def test_violations_name_focus_node_path_message_and_severity(serializer):
    graph = graph_of(serializer, datasets.package())
    ref = next(graph.subjects(DCT.title, None))
    graph.remove((ref, DCT.title, None))
    graph.remove((ref, DCT.creator, None))

    report = shacl.validate(graph)
    assert not report.conforms
    by_path = {f.path: f for f in report.violations}
    title = by_path[str(DCT.title)]
    assert (title.focus_node, title.severity) == (str(ref), "Violation")
    assert title.message
    assert by_path[str(DCT.creator)].message == "Minimally 1 values are expected for creator"
    assert str(title) in report.summary()


def test_recommended_properties_are_warnings_not_violations(serializer):
    graph = graph_of(serializer, datasets.generic())

    report = shacl.validate(graph, ("dcat-ap-nl-recommended",))
    assert report.conforms
    assert report.warnings
    assert {f.severity for f in report.warnings} == {"Warning"}


def test_unknown_shape_sets_are_refused():
    with pytest.raises(ValueError, match="dcat-ap-4"):
        shacl.validate(Graph(), ("dcat-ap-4",))


def test_shapes_code_lists_and_notice_ship_in_the_package():
    folder = resources.files("ckanext.retailarea.dcat.profiles") / "shacl"
    for paths in shacl.SHAPE_SETS.values():
        for path in paths:
            assert (folder / path).is_file(), path
    for path in shacl.VOCABULARY_FILES:
        assert (folder / path).is_file(), path
    notice = (folder / "NOTICE.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in notice and "2011/833/EU" in notice


@pytest.mark.parametrize("notes", [None, "", "   "])
def test_a_dataset_without_description_conforms_with_its_title_as_fallback(serializer, notes):
    """Harvested records often lack a description, which DCAT-AP requires: the title
    stands in (docs/federation.md, fallbacks)."""
    dataset = datasets.generic(notes=notes)
    graph = graph_of(serializer, dataset)

    report = shacl.validate(graph)
    assert report.conforms, report.summary()
    ref = next(graph.subjects(DCT.title, Literal(dataset["title"])))
    assert list(graph.objects(ref, DCT.description)) == [Literal(dataset["title"])]
