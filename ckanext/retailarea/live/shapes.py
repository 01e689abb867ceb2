"""The app API's answers in the shapes apps know: schema.org JSON-LD (``ParkingFacility``,
``Event``, ``Store`` with ``openingHoursSpecification``) and, for parking, FIWARE Smart Data
Models ``OffStreetParking`` as NGSI-LD key-values. Each function takes the plain answer."""
from __future__ import annotations

import datetime as dt
from typing import Any

SCHEMA = "https://schema.org/"
SDM_CONTEXT = ("https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/"
               "master/context.jsonld")
EVENT_STATUS = {"scheduled": "EventScheduled", "cancelled": "EventCancelled",
                "postponed": "EventPostponed", "rescheduled": "EventRescheduled"}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _compact(node: dict[str, Any]) -> dict[str, Any]:
    """Without empty values: JSON-LD has no null, only absence."""
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def _geo(item: dict[str, Any]) -> dict[str, Any] | None:
    if item.get("lat") is None or item.get("lon") is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": item["lat"], "longitude": item["lon"]}


def _graph(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": SCHEMA, "@graph": nodes}


def _value(property_id: str, value: Any) -> dict[str, Any] | None:
    return None if value is None else {"@type": "PropertyValue", "propertyID": property_id,
                                       "value": value}


# --- parking ------------------------------------------------------------------------------

def parking_schema_org(answer: dict[str, Any]) -> dict[str, Any]:
    nodes = []
    for f in answer["facilities"]:
        extra = [_value("vacantSpaces", f.get("vacant_spaces")),
                 _value("observedAt", f.get("observed_at")),
                 _value("stale", f.get("stale")),
                 _value("openNow", f["opening"]["state"] == "open")
                 if f["opening"]["state"] != "unknown" else None]
        tariff = f.get("tariff_now")
        nodes.append(_compact({
            "@type": "ParkingFacility", "@id": f"urn:uuid:{f['uuid']}",
            "identifier": f["uuid"], "name": f.get("name"), "geo": _geo(f),
            "maximumAttendeeCapacity": f.get("capacity"),
            "additionalProperty": [p for p in extra if p is not None],
            "isAccessibleForFree": tariff is None if f.get("tariffs_known") else None,
        }))
    return _graph(nodes)


def parking_smart_data_models(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """NGSI-LD key-values of ``OffStreetParking``, one entity per facility with a place."""
    return [_off_street(f) for f in answer["facilities"]
            if f.get("lat") is not None and f.get("lon") is not None]


def _off_street(f: dict[str, Any]) -> dict[str, Any]:
    capacity, vacant = f.get("capacity"), f.get("vacant_spaces")
    entity: dict[str, Any] = {
        "id": f"urn:ngsi-ld:OffStreetParking:{f['uuid']}", "type": "OffStreetParking",
        "name": f.get("name"),
        "location": {"type": "Point", "coordinates": [f["lon"], f["lat"]]},
        "totalSpotNumber": capacity, "availableSpotNumber": vacant,
        "status": _status(f), "allowedVehicleType": ["car"], "priceCurrency": "EUR",
        "observationDateTime": _utc(f.get("observed_at")),
        "openingHours": f.get("opening_times"),
        "maximumAllowedHeight": f.get("min_height_m") or None,
    }
    if capacity and vacant is not None:
        entity["occupiedSpotNumber"] = capacity - vacant
        entity["occupancy"] = round((capacity - vacant) / capacity, 4)
    tariff = f.get("tariff_now")
    if tariff and tariff.get("charge_eur") is not None and tariff.get("charge_period_min"):
        entity["priceRatePerMinute"] = round(tariff["charge_eur"] / tariff["charge_period_min"], 4)
    entity["@context"] = [SDM_CONTEXT]
    return {k: v for k, v in entity.items() if v is not None}


def _status(f: dict[str, Any]) -> list[str]:
    if f.get("open") is False or f["opening"]["state"] == "closed":
        return ["closed"]
    if f.get("full"):
        return ["full"]
    if f.get("vacant_spaces"):
        return ["spacesAvailable"]
    return ["open"] if f["opening"]["state"] == "open" else ["openingTimesInForce"]


def _utc(value: str | None) -> str | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- events -------------------------------------------------------------------------------

def events_schema_org(answer: dict[str, Any]) -> dict[str, Any]:
    return _graph([_event(e) for e in answer["events"]])


def _event(e: dict[str, Any]) -> dict[str, Any]:
    place = _compact({"@type": "Place", "name": e.get("venue"), "address": e.get("address"),
                      "geo": _geo(e)})
    offer = None
    if e.get("price_from_eur") is not None:
        offer = _compact({"@type": "Offer", "price": e["price_from_eur"],
                          "priceCurrency": "EUR", "url": e.get("booking_url")})
    return _compact({
        "@type": "Event", "@id": f"urn:retailarea:event:{e['dataset']}:{e['event_id']}",
        "identifier": e["event_id"], "name": e.get("title"),
        "description": e.get("description"), "inLanguage": e.get("lang"),
        "startDate": e["start"], "endDate": e.get("end"),
        "eventStatus": SCHEMA + EVENT_STATUS.get(e.get("status") or "scheduled",
                                                 "EventScheduled"),
        "location": place or None, "offers": offer,
        "isAccessibleForFree": e.get("is_free"), "url": e.get("url"),
        "organizer": {"@type": "Organization", "name": e["organizer"]}
        if e.get("organizer") else None,
    })


# --- shops --------------------------------------------------------------------------------

def shops_schema_org(answer: dict[str, Any]) -> dict[str, Any]:
    return _graph([_store(s) for s in answer["shops"]])


def _store(s: dict[str, Any]) -> dict[str, Any]:
    address = _compact({"@type": "PostalAddress",
                        "streetAddress": " ".join(str(p) for p in (s.get("street"),
                                                                   s.get("house_number")) if p),
                        "postalCode": s.get("postcode"), "addressLocality": s.get("city")})
    return _compact({
        "@type": "Store", "@id": f"urn:retailarea:shop:{s['dataset']}:{s['shop_id']}",
        "identifier": s["shop_id"], "name": s.get("name"),
        "address": address if len(address) > 1 else None, "geo": _geo(s),
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA + WEEKDAYS[day],
             "opens": opens, "closes": closes}
            for day, opens, closes in s.get("week") or []],
    })
