"""The app API's own addresses, thin views over the actions that answer in the shape the
client asks for: ``/api/retailarea/parking-now``, ``/api/retailarea/events`` and
``/api/retailarea/open-at``. ``Accept: application/ld+json`` gives schema.org JSON-LD;
``?shape=smart-data-models`` (parking) NGSI-LD key-values; otherwise plain JSON without
CKAN's envelope. Bad input is a 400 with the field errors."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

live = Blueprint("retailarea_live", __name__)
LD = "application/ld+json"
PARAMS = ("area", "lat", "lon", "radius", "start", "end", "time", "branch_group", "shape")


def _shape() -> str | None:
    asked = tk.request.args.get("shape")
    if asked:
        return asked
    accept = tk.request.accept_mimetypes
    if accept.best_match(["application/json", LD], default="application/json") == LD \
            and accept[LD] > accept["application/json"]:
        return "schema.org"
    return None


def _answer(action: str) -> Response:
    data_dict: dict[str, Any] = {k: v for k, v in tk.request.args.items() if k in PARAMS}
    shape = _shape()
    if shape:
        data_dict["shape"] = shape
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        result = tk.get_action(action)({"user": user}, data_dict)
    except tk.ValidationError as error:
        return _json({"success": False, "error": error.error_dict}, 400, "application/json")
    except tk.NotAuthorized:
        return _json({"success": False, "error": {"message": "Not authorized"}}, 403,
                     "application/json")
    mimetype = LD if shape in ("schema.org", "smart-data-models") else "application/json"
    return _json(result, 200, mimetype)


def _json(body: Any, status: int, mimetype: str) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=mimetype)
    response.headers["Vary"] = "Accept"
    return response


@live.route("/api/retailarea/parking-now")
def parking_now() -> Response:
    return _answer("retailarea_parking_now")


@live.route("/api/retailarea/events")
def events() -> Response:
    return _answer("retailarea_events_between")


@live.route("/api/retailarea/open-at")
def open_at() -> Response:
    return _answer("retailarea_open_at")
