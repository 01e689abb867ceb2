"""Series downloads (CSV and JSON of the series a chart shows).

Thin views over the actions, so the same parameters, access rules and access log apply:
``/dataset/<id>/footfall/series.{csv,json}``, ``/retail-area/<area>/footfall/series.
{csv,json}`` and ``/dataset/<id>/parking/occupancy.{csv,json}``, with ``period``,
``start``, ``end`` and ``location_id`` / ``facility`` as query parameters.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint, Response

from ckanext.retailarea.footfall import export

footfall = Blueprint("retailarea_footfall", __name__)

FORMATS = "<any(csv, json):fmt>"
PARAMETERS = ("period", "start", "end", "location_id", "facility")


def _context() -> Context:
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return {"user": user}


def _parameters() -> dict[str, Any]:
    return {key: tk.request.args[key] for key in PARAMETERS if key in tk.request.args}


def _error(status: int, fmt: str, message: Any) -> Response:
    if fmt == "json":
        body = json.dumps({"success": False, "error": message}, ensure_ascii=False)
        return Response(body, status=status, mimetype="application/json")
    if isinstance(message, dict):
        message = "\n".join(f"{field}: {' '.join(map(str, reasons))}"
                            for field, reasons in message.items())
    return Response(str(message) + "\n", status=status, mimetype="text/plain")


def _serve(action: str, data_dict: dict[str, Any], fmt: str, filename: str,
           to_csv: Any) -> Response:
    try:
        answer = tk.get_action(action)(_context(), data_dict)
    except tk.ValidationError as error:
        return _error(400, fmt, error.error_dict)
    except tk.NotAuthorized as error:
        return _error(403, fmt, str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound as error:
        return _error(404, fmt, str(error) or tk._("Not found"))
    if fmt == "json":
        return Response(json.dumps(answer, ensure_ascii=False), mimetype="application/json")
    return Response(to_csv(answer), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}.csv"'})


def _filename(name: str, kind: str) -> str:
    period = tk.request.args.get("period", "")
    safe = "".join(c for c in f"{name}-{kind}-{period}" if c.isalnum() or c in "-_")
    return safe.strip("-") or kind


@footfall.route(f"/dataset/<id>/footfall/series.{FORMATS}")
def dataset_series(id: str, fmt: str) -> Response:
    return _serve("retailarea_footfall_series", {**_parameters(), "id": id}, fmt,
                  _filename(id, "footfall"), export.footfall_csv)


@footfall.route(f"/retail-area/<area>/footfall/series.{FORMATS}")
def area_series(area: str, fmt: str) -> Response:
    return _serve("retailarea_footfall_series", {**_parameters(), "area": area}, fmt,
                  _filename(area, "footfall"), export.footfall_csv)


@footfall.route(f"/dataset/<id>/parking/occupancy.{FORMATS}")
def parking_series(id: str, fmt: str) -> Response:
    return _serve("retailarea_parking_occupancy_series", {**_parameters(), "id": id}, fmt,
                  _filename(id, "parking-occupancy"), export.parking_csv)
