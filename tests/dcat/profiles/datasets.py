"""Dataset dicts shaped like ``package_show`` returns them, one per dataset type.

``package()`` builds a public footfall dataset with every shared field filled in;
keyword arguments replace fields (``None`` removes one).
"""
from __future__ import annotations

import copy
import json
import uuid
from typing import Any

SITE = "http://test.ckan.net"

ORGANIZATION = {
    "id": "5b0a6b1e-4f7e-4d1c-9c4e-0a1b2c3d4e5f",
    "name": "gemeente-gouda",
    "title": "Gemeente Gouda",
    "type": "organization",
    "is_organization": True,
    "state": "active",
    "description": "",
    "image_url": "",
    "approval_status": "approved",
}

GOUDA_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[
        [4.7035, 52.0092], [4.7151, 52.0086], [4.7182, 52.0143],
        [4.7101, 52.0178], [4.7029, 52.0151], [4.7035, 52.0092],
    ]],
}

AREA = {
    "id": "9f1e2d3c-4b5a-4697-8877-665544332211",
    "name": "gouda-binnenstad",
    "title": "Gouda binnenstad",
    "display_name": "Gouda binnenstad",
    "type": "retail-area",
    "is_organization": False,
    "state": "active",
    "description": "",
    "image_display_url": "",
    # package_show leaves group extras out; the profile reads them with group_show.
    "municipality_code": "GM0513",
    "geometry": json.dumps(GOUDA_OUTLINE),
}

# What organization_show and group_show find (see the ``directory`` fixture).
DIRECTORY = [ORGANIZATION, AREA]


def _group_in_package(area: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in area.items() if k not in ("municipality_code", "geometry")}


def resource(dataset_id: str, n: int = 0, **fields: Any) -> dict[str, Any]:
    resource_id = str(uuid.UUID(int=uuid.UUID(dataset_id).int + n + 1))
    data = {
        "id": resource_id,
        "package_id": dataset_id,
        "name": f"Tellingen {2024 + n}",
        "description": "Telling per kwartier per locatie.",
        "format": "CSV",
        "mimetype": "text/csv",
        "url": f"{SITE}/dataset/{dataset_id}/resource/{resource_id}/download/counts.csv",
        "url_type": "upload",
        "table_schema": "footfall_counts",
        "size": 20480,
        "state": "active",
        "position": n,
        "created": "2025-02-01T09:00:00.000000",
        "metadata_modified": "2025-02-01T09:00:00.000000",
    }
    return _apply(data, fields)


def _apply(data: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def package(**fields: Any) -> dict[str, Any]:
    dataset_id = fields.pop("id", None) or str(uuid.uuid4())
    data: dict[str, Any] = {
        "id": dataset_id,
        "name": "passanten-gouda",
        "title": "Passantentellingen Gouda binnenstad",
        "notes": "Tellingen van voetgangers in de binnenstad, per kwartier.",
        "type": "footfall",
        "state": "active",
        "private": False,
        "metadata_created": "2025-01-10T08:00:00.000000",
        "metadata_modified": "2025-03-01T12:30:00.000000",
        "license_id": "cc-by",
        "license_title": "Creative Commons Attribution",
        "license_url": "http://www.opendefinition.org/licenses/cc-by",
        "url": "https://www.gouda.nl/passanten",
        "maintainer": "Team Data Gouda",
        "maintainer_email": "data@gouda.example",
        "author": None,
        "author_email": None,
        "tags": [{"name": "passanten"}, {"name": "binnenstad"}],
        "extras": [],
        "owner_org": ORGANIZATION["id"],
        "organization": copy.deepcopy(ORGANIZATION),
        "groups": [_group_in_package(AREA)],
        "access_level": "public",
        "contains_personal_data": False,
        "permitted_purposes": ["PublicBenefit", "AcademicResearch"],
        "usage_conditions": "Vermeld de bron: Gemeente Gouda.",
        "retention_period": "P1Y",
        "theme": ["ECON", "TRAN"],
        "frequency": "DAILY",
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "temporal_resolution": "PT15M",
        "spatial": json.dumps(GOUDA_OUTLINE),
        "conforms_to": ["https://w3id.org/retailarea/standards/footfall-counting"],
        "counting_method": "thermal",
        "number_of_sensors": "12",
    }
    data = _apply(data, fields)
    if "resources" not in fields:
        data["resources"] = [resource(dataset_id)]
    return data


def shop_register(**fields: Any) -> dict[str, Any]:
    base = dict(
        type="shop-register", name="winkelbestand-gouda", title="Winkelbestand Gouda",
        counting_method=None, number_of_sensors=None, access_level="restricted",
        access_reason="RECHTEN_VAN_DERDEN", permitted_purposes=["PublicPolicyMaking"],
        classification_scheme="locatus", reference_date="2025-01-01", frequency="ANNUAL",
        license_id="other-closed", license_title="Other (Not Open)", license_url=None,
        temporal_resolution=None, theme=["ECON"],
    )
    base.update(fields)
    data = package(**base)
    if "resources" not in fields:
        data["resources"] = [resource(data["id"], table_schema="shops", name="Winkels")]
    return data


def events(**fields: Any) -> dict[str, Any]:
    base = dict(
        type="events", name="evenementen-gouda", title="Evenementen in Gouda",
        counting_method=None, number_of_sensors=None, feed_source="ndtrc",
        language=["nl", "en"], theme=["EDUC", "SOCI"], frequency="WEEKLY",
        license_id="cc-zero", license_title="Creative Commons CCZero",
        license_url="http://www.opendefinition.org/licenses/cc-zero",
        temporal_resolution=None,
    )
    base.update(fields)
    data = package(**base)
    if "resources" not in fields:
        data["resources"] = [resource(data["id"], table_schema="events", name="Agenda")]
    return data


def parking(**fields: Any) -> dict[str, Any]:
    base = dict(
        type="parking", name="parkeren-gouda", title="Parkeren in Gouda",
        counting_method=None, number_of_sensors=None, area_manager_id="513",
        standard="SPDP 2.0", theme=["TRAN"], frequency="UPDATE_CONT",
        contains_personal_data=True, legal_basis="A6-1-e",
        permitted_purposes=["ServiceProvision", "ImproveTransportMobility"],
        usage_conditions="Alleen voor navigatie; bewaar hoogstens een week.",
        retention_period="P1W", temporal_resolution="PT1M",
    )
    base.update(fields)
    data = package(**base)
    if "resources" not in fields:
        data["resources"] = [
            resource(data["id"], 0, table_schema="parking_facilities", name="Garages"),
            resource(data["id"], 1, table_schema="parking_occupancy", name="Bezetting",
                     format="JSON", mimetype="application/json", url_type="",
                     url="https://api.parkeren.example/gouda/occupancy"),
        ]
    return data


def generic(**fields: Any) -> dict[str, Any]:
    base = dict(
        type="dataset", name="huurprijzen-gouda", title="Huurprijzen winkelpanden",
        counting_method=None, number_of_sensors=None, theme=["ECON", "REGI"],
        frequency="QUARTERLY", temporal_resolution="P3M", license_id="odc-odbl",
        license_title="Open Data Commons Open Database License (ODbL)",
        license_url="http://www.opendefinition.org/licenses/odc-odbl",
    )
    base.update(fields)
    data = package(**base)
    if "resources" not in fields:
        data["resources"] = [resource(data["id"], table_schema=None, format="XLSX",
                                      mimetype=None, name="Huurprijzen")]
    return data


def restricted(**fields: Any) -> dict[str, Any]:
    """Footfall from wifi sensors: personal data, only for two purposes, files withheld."""
    base = dict(
        name="wifi-tellingen-gouda", title="Wifi-tellingen Gouda",
        access_level="restricted", access_reason="PRIVACY", contains_personal_data=True,
        legal_basis="A6-1-f", permitted_purposes=["AcademicResearch", "PublicPolicyMaking"],
        counting_method="wifi", number_of_sensors="4", retention_period="P30D",
    )
    base.update(fields)
    data = package(**base)
    if "resources" not in fields:
        data["resources"] = [
            resource(data["id"], 0),
            resource(data["id"], 1, url_type="", table_schema="footfall_locations",
                     url="https://sensors.example/gouda/locations.csv",
                     download_url="https://sensors.example/gouda/locations-dl.csv"),
        ]
    return data


def non_public(**fields: Any) -> dict[str, Any]:
    base = dict(
        name="concept-tellingen", title="Concept tellingen", access_level="non_public",
        private=True, access_reason="NIET_PUBLIEK",
    )
    base.update(fields)
    return package(**base)


ALL_TYPES = {
    "footfall": package,
    "shop-register": shop_register,
    "events": events,
    "parking": parking,
    "dataset": generic,
    "restricted": restricted,
}
