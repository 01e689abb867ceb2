"""The access-request journey through the Action API, and every bad input."""
from __future__ import annotations

import datetime as dt

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.retailarea.model.access import AccessGrant
from tests import factories

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def world(clean_db, clean_index):
    admin = ckan_factories.User(name="org-admin")
    editor = ckan_factories.User(name="org-editor")
    requester = ckan_factories.User(name="researcher")
    org = ckan_factories.Organization(users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": editor["name"], "capacity": "editor"},
    ])
    dataset = factories.Dataset(
        name="winkels", owner_org=org["id"], access_level="restricted",
        permitted_purposes=["AcademicResearch", "PublicPolicyMaking"],
        usage_conditions="Research only.", user=admin,
    )
    public = factories.Dataset(name="open", owner_org=org["id"], user=admin)
    return {"admin": admin, "editor": editor, "requester": requester, "org": org,
            "dataset": dataset, "public": public}


def act(name, user, **data):
    return helpers.call_action(name, {"user": user["name"], "ignore_auth": False}, **data)


def ask(world, **extra):
    data = {"package_id": "winkels", "purpose": "AcademicResearch",
            "justification": "Vacancy study for my thesis.", **extra}
    return act("retailarea_access_request_create", world["requester"], **data)


def test_the_whole_journey(world):
    request = ask(world)
    assert request["status"] == "pending" and request["id"]
    assert request["accepted_conditions"] == "Research only."

    pending = act("retailarea_access_request_list", world["editor"], package_id="winkels")
    assert [r["id"] for r in pending] == [request["id"]]

    decided = act("retailarea_access_request_decide", world["editor"], id=request["id"],
                  decision="approve", expires=TOMORROW)
    assert decided["status"] == "approved" and decided["grant_id"]

    mine = act("retailarea_access_grant_list", world["requester"], mine=True)
    assert [(g["purpose"], g["active"]) for g in mine] == [("AcademicResearch", True)]
    assert mine[0]["expires"].startswith(
        (dt.date.today() + dt.timedelta(days=2)).isoformat())  # through the whole day

    revoked = act("retailarea_access_grant_revoke", world["admin"], id=decided["grant_id"])
    assert revoked["active"] is False
    assert act("retailarea_access_grant_list", world["requester"], mine=True,
               active=True) == []


def test_rejection_needs_and_keeps_a_reason(world):
    request = ask(world)
    with pytest.raises(tk.ValidationError) as error:
        act("retailarea_access_request_decide", world["admin"], id=request["id"],
            decision="reject")
    assert "reason" in error.value.error_dict
    decided = act("retailarea_access_request_decide", world["admin"], id=request["id"],
                  decision="reject", reason="Not a research institution.")
    assert (decided["status"], decided["reason"]) == ("rejected", "Not a research institution.")
    mine = act("retailarea_access_request_list", world["requester"], mine=True)
    assert mine[0]["reason"] == "Not a research institution."


def test_default_expiry_comes_from_config(world):
    request = ask(world)
    decided = act("retailarea_access_request_decide", world["admin"], id=request["id"],
                  decision="approve")
    grant = AccessGrant.get(decided["grant_id"])
    days = (grant.expires - grant.created).days
    assert 364 <= days <= 365


@pytest.mark.parametrize("extra, field", [
    ({"package_id": "does-not-exist"}, None),
    ({"purpose": "Marketing"}, "purpose"),
    ({"purpose": "Spying"}, "purpose"),
    ({"justification": ""}, "justification"),
    ({"justification": "   "}, "justification"),
    ({"justification": "x" * 4001}, "justification"),
    ({"accept_conditions": False}, "accept_conditions"),
    ({"package_id": "open"}, "package_id"),
])
def test_bad_requests_are_refused_and_change_nothing(world, extra, field):
    if field is None:
        with pytest.raises(tk.ObjectNotFound):
            ask(world, **extra)
    else:
        with pytest.raises(tk.ValidationError) as error:
            ask(world, **extra)
        assert field in error.value.error_dict
    assert act("retailarea_access_request_list", world["requester"], mine=True) == []


def test_anonymous_cannot_ask(world):
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("retailarea_access_request_create",
                            {"user": "", "ignore_auth": False}, package_id="winkels",
                            purpose="AcademicResearch", justification="x")


def test_the_same_request_twice_is_refused(world):
    ask(world)
    with pytest.raises(tk.ValidationError) as error:
        ask(world)
    assert "already asked" in error.value.error_dict["purpose"][0]


def test_deciding_twice_or_in_the_past_or_by_a_stranger(world):
    request = ask(world)
    with pytest.raises(tk.ValidationError) as error:
        act("retailarea_access_request_decide", world["admin"], id=request["id"],
            decision="approve", expires="2020-01-01")
    assert "future" in error.value.error_dict["expires"][0]
    with pytest.raises(tk.ValidationError):
        act("retailarea_access_request_decide", world["admin"], id=request["id"],
            decision="approve", expires="next year")
    with pytest.raises(tk.ValidationError):
        act("retailarea_access_request_decide", world["admin"], id=request["id"],
            decision="maybe")
    with pytest.raises(tk.NotAuthorized):
        act("retailarea_access_request_decide", world["requester"], id=request["id"],
            decision="approve")
    assert act("retailarea_access_grant_list", world["admin"], package_id="winkels") == []

    act("retailarea_access_request_decide", world["admin"], id=request["id"],
        decision="approve", expires=TOMORROW)
    with pytest.raises(tk.ValidationError) as error:
        act("retailarea_access_request_decide", world["admin"], id=request["id"],
            decision="reject", reason="changed my mind")
    assert "already decided" in error.value.error_dict["id"][0]
    with pytest.raises(tk.ObjectNotFound):
        act("retailarea_access_request_decide", world["admin"], id="nope",
            decision="approve")


def test_revoking_twice_or_unknown(world):
    request = ask(world)
    decided = act("retailarea_access_request_decide", world["admin"], id=request["id"],
                  decision="approve", expires=TOMORROW)
    act("retailarea_access_grant_revoke", world["admin"], id=decided["grant_id"])
    with pytest.raises(tk.ValidationError):
        act("retailarea_access_grant_revoke", world["admin"], id=decided["grant_id"])
    with pytest.raises(tk.ObjectNotFound):
        act("retailarea_access_grant_revoke", world["admin"], id="nope")


def test_stewards_lists_are_for_stewards(world):
    ask(world)
    for name in ("retailarea_access_request_list", "retailarea_access_grant_list"):
        with pytest.raises(tk.NotAuthorized):
            act(name, world["requester"], package_id="winkels")
    with pytest.raises(tk.NotAuthorized):
        act("retailarea_access_log_list", world["editor"], package_id="winkels")
    assert act("retailarea_access_log_list", world["admin"], package_id="winkels") == []


def test_api_errors_are_4xx_not_500(app, world):
    token = helpers.call_action("api_token_create", {"user": "researcher"},
                                user="researcher", name="t")["token"]
    headers = {"Authorization": token}
    url = "/api/3/action/retailarea_access_request_create"
    app.post(url, json={"package_id": "winkels", "purpose": "Spying",
                        "justification": "x"}, headers=headers, status=409)
    app.post(url, json={"package_id": "nope", "purpose": "Marketing",
                        "justification": "x"}, headers=headers, status=404)
    app.post(url, json={"package_id": "winkels"}, headers=headers, status=409)
    app.post(url, json={"package_id": "winkels", "purpose": "AcademicResearch",
                        "justification": "x"}, status=403)
    app.post("/api/3/action/retailarea_access_request_decide",
             json={"id": "nope", "decision": "approve"}, headers=headers, status=404)
    app.post("/api/3/action/retailarea_access_grant_revoke", json={"id": "nope"},
             headers=headers, status=404)


def test_mail_goes_out_when_smtp_is_configured(world, mail_server, ckan_config,
                                               monkeypatch):
    monkeypatch.setitem(ckan_config, "smtp.server", "localhost:2525")
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "platform@example.org")
    for user in ("org-admin", "org-editor", "researcher"):
        model.User.get(user).email = f"{user}@example.org"
    model.Session.commit()
    request = ask(world)
    act("retailarea_access_request_decide", world["admin"], id=request["id"],
        decision="approve", expires=TOMORROW)
    recipients = sorted(message[2][0] for message in mail_server.get_smtp_messages())
    assert recipients == ["org-admin@example.org", "org-editor@example.org",
                          "researcher@example.org"]
