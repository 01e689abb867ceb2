"""A small catalog for the browser journeys. CKAN's factories give users, organizations and
groups fake image URLs on outside hosts; here they get none, so pages fetch nothing from
outside 127.0.0.1."""
from __future__ import annotations

from typing import Any

from ckan.tests import factories as ckan_factories

from tests import factories
from tests.browser.conftest import PASSWORD

ARNHEM = (
    '{"type":"Polygon","coordinates":[[[5.90,51.97],[5.93,51.97],[5.93,51.99],'
    '[5.90,51.99],[5.90,51.97]]]}'
)


def user(name: str, **extra: Any) -> dict[str, Any]:
    return ckan_factories.User(name=name, password=PASSWORD, image_url="",
                               fullname=name.title(), **extra)


def organization(name: str, title: str, members: dict[str, str]) -> dict[str, Any]:
    """An organization with ``members`` as ``{user name: capacity}``."""
    return ckan_factories.Organization(
        name=name, title=title, image_url="",
        users=[{"name": who, "capacity": capacity} for who, capacity in members.items()])


def area(name: str, title: str, **extra: Any) -> dict[str, Any]:
    return factories.RetailArea(name=name, title=title, image_url="", **extra)


def steward_of_gouda() -> dict[str, Any]:
    """A steward (editor of Gemeente Gouda) who may publish to the retail area Gouda
    binnenstad (a member of it)."""
    steward = user("steward")
    organization("gemeente-gouda", "Gemeente Gouda", {"steward": "editor"})
    area("gouda-binnenstad", "Gouda binnenstad",
         users=[{"name": "steward", "capacity": "member"}])
    return steward


def shopping_areas() -> dict[str, Any]:
    """Two retail areas (Gouda, Arnhem), a municipality with a steward (editor) and an
    admin, and datasets of several types and access levels."""
    user("steward")
    user("admin-gouda")
    user("visitor")
    org = organization("gemeente-gouda", "Gemeente Gouda",
                       {"steward": "editor", "admin-gouda": "admin"})
    gouda = area("gouda-binnenstad", "Gouda binnenstad")
    arnhem = area("arnhem-centrum", "Arnhem centrum", municipality_code="GM0202",
                  geometry=ARNHEM)
    in_gouda, in_arnhem = [{"name": gouda["name"]}], [{"name": arnhem["name"]}]
    owner = {"owner_org": org["id"]}
    factories.Footfall(name="passanten-gouda", title="Passanten Gouda binnenstad",
                       groups=in_gouda, **owner)
    factories.Footfall(name="passanten-gouda-wifi", title="Passanten Gouda (wifi)",
                       groups=in_gouda, access_level="restricted", counting_method="wifi",
                       contains_personal_data=True, legal_basis="A6-1-f",
                       permitted_purposes=["PublicBenefit"], **owner)
    factories.Dataset(name="parkeren-gouda", title="Parkeren Gouda", type="parking",
                      standard="SPDP 2.0", groups=in_gouda, **owner)
    factories.Footfall(name="passanten-arnhem", title="Passanten Arnhem centrum",
                       groups=in_arnhem, **owner)
    restricted_shops(org, groups=in_gouda)
    return {"org": org, "gouda": gouda, "arnhem": arnhem}


def restricted_shops(org: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A restricted shop register: its data only for academic research."""
    return factories.Dataset(
        name="winkels-gouda", title="Winkels Gouda", type="shop-register",
        classification_scheme="locatus", owner_org=org["id"], access_level="restricted",
        permitted_purposes=["AcademicResearch"],
        usage_conditions="Only for research; delete after a year.", **extra)
