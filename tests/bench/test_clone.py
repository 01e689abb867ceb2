"""The bench catalog's copies (bench/clone.py) read exactly as their templates."""
from __future__ import annotations

import pathlib
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def bench_modules():
    sys.path.insert(0, str(BENCH))
    import catalog
    import clone

    yield catalog, clone
    sys.path.remove(str(BENCH))


def _call(action, **data):
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return tk.get_action(action)({"user": site_user["name"], "ignore_auth": True}, data)


def _without_own_values(dataset):
    own = ("id", "name", "title", "notes", "metadata_created", "metadata_modified")
    result = {k: v for k, v in dataset.items() if k not in own}
    result["resources"] = [{k: v for k, v in r.items() if k not in ("id", "package_id", "url")}
                           for r in dataset["resources"]]
    return result


@pytest.mark.usefixtures("clean_db", "clean_index", "with_request_context")
def test_a_copy_reads_as_its_template_with_its_own_values(bench_modules):
    import ckan.model as model
    import sqlalchemy as sa
    from ckan.lib import search

    catalog, clone = bench_modules
    catalog.ensure_owners(_call)
    for number in (1, 2):
        _call("package_create", **catalog.dataset(number))

    ids = clone.copy_datasets([3, 4], templates=2)
    search.rebuild(package_ids=ids)
    search.commit()

    template, copy = _call("package_show", id="bench-00001"), _call("package_show",
                                                                      id="bench-00003")
    assert copy["id"] == ids[0] != template["id"]
    assert copy["title"] == template["title"].rsplit(" ", 1)[0] + " 3"
    assert "dataset 3 about" in copy["notes"]
    assert [r["url"] for r in copy["resources"]] == [
        f"https://data.example.org/3/{r}.csv" for r in range(3)]
    assert {r["id"] for r in copy["resources"]}.isdisjoint(
        {r["id"] for r in template["resources"]})
    assert _without_own_values(copy) == _without_own_values(template)

    found = _call("package_search", q="name:bench-00004", include_private=True)
    assert [d["id"] for d in found["results"]] == [ids[1]]
    kept = model.Session.execute(sa.text(
        "SELECT dataset_uri, turtle FROM retailarea_dataset_rdf WHERE name = 'bench-00003'"
    )).one()
    assert ids[0] in kept.dataset_uri and template["id"] not in kept.turtle
