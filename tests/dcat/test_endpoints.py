"""The catalog endpoints answer bad paging with 400 and odd queries with valid RDF."""
from __future__ import annotations

import pytest
import rdflib

from tests import factories


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("page", ["0", "-1", "abc", "1000000000", "1.5", ""])
def test_bad_page_is_a_400(app, page):
    response = app.get("/catalog.ttl", query_string={"page": page})
    assert response.status_code == 400


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("q, status", [
    ('markt "kaas"', 200), ("markt kaas", 200), ("'", 200), ("a:b", 200), ('"', 400),
])
def test_odd_queries_give_valid_rdf_or_a_400(app, q, status):
    from ckan.tests import factories as ckan_factories

    org = ckan_factories.Organization()
    factories.Dataset(owner_org=org["id"], title="Kaasmarkt Gouda")
    response = app.get("/catalog.ttl", query_string={"q": q})
    assert response.status_code == status
    if status == 200:
        rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
