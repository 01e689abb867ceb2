"""The fuzzer: Hypothesis sends bad input to every action our plugins register or chain
and to the core actions a visitor uses (see targets.py), as anonymous, a logged-in user
and a sysadmin, against the running app (real PostgreSQL, Solr, Redis). Any 5xx, any
exception and any error in the log fails. The seed is fixed; RETAILAREA_FUZZ_EXAMPLES
sets the budget (small in `make test`, large in `make fuzz`). Cases it found are kept as
explicit tests in test_regressions.py and test_upstream.py."""
from __future__ import annotations

import json
import os
import pathlib

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz import sender, strategies, targets
from tests.fuzz.conftest import headers

EXAMPLES = int(os.environ.get("RETAILAREA_FUZZ_EXAMPLES", "200"))
ROLES = ("anonymous", "user", "sysadmin")
FIXED = [{}, {"id": "\x00"}, {"id": 1}, {"id": ["a", "b"]}, {"id": {"a": 1}},
         {"id": "x" * 100_000}, {"id": None, "q": None}, {"limit": -1, "offset": -1},
         {"rows": 10**20, "start": -5}, {"id": "\u202eevil", "include_data": "maybe"}]
SUMMARY = pathlib.Path(__file__).resolve().parents[2] / ".data" / "logs" / "fuzz.json"
PAGES = ("/dataset/{id}/footfall/series.{fmt}", "/retail-area/{area}/footfall/series.{fmt}",
         "/dataset/{id}/parking/occupancy.{fmt}", "/catalog.{fmt}", "/dataset/{id}",
         "/dataset/", "/dataset/{id}/resource/{id}", "/organization/{id}",
         "/retail-area/{area}", "/dataset/{id}.{fmt}", "/api/3/action/{id}")


@pytest.fixture(scope="module", autouse=True)
def summary():
    sender.SENT.clear()
    yield
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(json.dumps({
        "requests": sum(sender.SENT.values()), "actions": len(sender.SENT) - ("page" in
                                                                              sender.SENT),
        "per_action": dict(sorted(sender.SENT.items()))}, indent=1))


def _account(world: dict, role: str) -> dict | None:
    return {"anonymous": None, "user": world["user"], "sysadmin": world["sysadmin"]}[role]


def test_the_targets_cover_our_actions_and_the_visitors(with_plugins):
    names = targets.targets()
    assert {"retailarea_footfall_series", "retailarea_access_request_create",
            "retailarea_table_report_show", "package_show", "group_show",
            "datastore_search_sql", "package_activity_list", "harvest_source_list"} <= set(
        names)
    assert "user_create" not in names and "config_option_update" not in names


def _sweep(index: int) -> list[tuple[dict, str]]:
    """The fixed inputs an action gets: all of them, both ways, in a long run; three in
    turn in `make test`, so that over all actions every one is sent both ways."""
    every = [(data, transport) for data in FIXED for transport in ("json", "get")]
    if EXAMPLES >= 1000:
        return every
    return [every[(3 * index + step) % len(every)] for step in range(3)]


def test_every_action_with_fixed_bad_input(app, world, footfall, caplog):
    send = sender.Sender(app, caplog)
    for role in ROLES:
        for index, name in enumerate(targets.targets()):
            for data, transport in _sweep(index):
                send.action(name, headers(_account(world, role)), data, transport)


def test_actions_with_generated_input(app, world, footfall, caplog):
    send = sender.Sender(app, caplog)
    names, known = targets.targets(), world["known"]

    @seed(16)
    @settings(max_examples=3 * EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        role = data.draw(st.sampled_from(ROLES), label="role")
        name = data.draw(st.sampled_from(names), label="action")
        body = data.draw(strategies.data_dicts(targets.params(name), known), label="body")
        transport = data.draw(st.sampled_from(["json", "get"]), label="transport")
        send.action(name, headers(_account(world, role)), body, transport)

    run()


def test_pages_with_generated_input(app, world, footfall, caplog):
    send = sender.Sender(app, caplog)
    known = world["known"]

    @seed(16)
    @settings(max_examples=EXAMPLES // 2, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        role = data.draw(st.sampled_from(ROLES), label="role")
        path = data.draw(st.sampled_from(PAGES), label="page")
        parts = {key: data.draw(strategies.texts(known), label=key)
                 for key in ("id", "area")}
        fmt = data.draw(st.sampled_from(["csv", "json", "ttl", "rdf", "jsonld", "x"]))
        query = data.draw(strategies.data_dicts(targets.COMMON_PARAMS + ("page",), known))
        url = path.format(fmt=fmt, **{k: sender.quote_path(v) for k, v in parts.items()})
        send.page(f"{url}?{sender.query_string(query)}", headers(_account(world, role)))

    run()
