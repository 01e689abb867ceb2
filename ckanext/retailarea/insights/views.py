"""The compare page and the downloads of the insights; thin views over the action.

``/retail-area/compare?areas=a,b`` (and ``.csv`` / ``.json``) and
``/retail-area/<area>/insights.{csv,json}``; ``as_of`` as query parameter. The dashboard
itself is the retail area's page (templates/group/read.html).
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint, Response

from ckanext.retailarea.insights import export, schema

insights = Blueprint("retailarea_insights", __name__)


def _context() -> Context:
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return {"user": user}


def _ask(area: str) -> dict[str, Any]:
    data_dict = {"area": area}
    if tk.request.args.get("as_of"):
        data_dict["as_of"] = tk.request.args["as_of"]
    return tk.get_action("retailarea_area_insights")(_context(), data_dict)


def _answers(areas: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    try:
        return [_ask(area) for area in areas], None
    except tk.ValidationError as error:
        return [], error.error_dict


def _download(answers: list[dict[str, Any]], fmt: str, name: str) -> Response:
    if fmt == "json":
        body = json.dumps(answers[0] if len(answers) == 1 else answers, ensure_ascii=False)
        return Response(body, mimetype="application/json")
    return Response(export.to_csv(answers), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def _error(status: int, fmt: str, errors: dict[str, Any]) -> Response:
    if fmt == "json":
        return Response(json.dumps({"success": False, "error": errors}, ensure_ascii=False),
                        status=status, mimetype="application/json")
    lines = [f"{key}: {' '.join(map(str, value))}" for key, value in errors.items()]
    return Response("\n".join(lines) + "\n", status=status, mimetype="text/plain")


@insights.route("/retail-area/<area>/insights.<any(csv, json):fmt>")
def area_download(area: str, fmt: str) -> Response:
    answers, errors = _answers([area])
    if errors:
        return _error(400, fmt, errors)
    return _download(answers, fmt, f"{answers[0]['area']}-insights")


def _areas() -> tuple[list[str], dict[str, Any] | None]:
    try:
        return schema.area_names(tk.request.args.get("areas")), None
    except tk.Invalid as error:
        return [], {"areas": [error.error]}


@insights.route("/retail-area/compare.<any(csv, json):fmt>")
def compare_download(fmt: str) -> Response:
    areas, errors = _areas()
    answers, errors = _answers(areas) if not errors else ([], errors)
    if errors:
        return _error(400, fmt, errors)
    return _download(answers, fmt, "-".join(a["area"] for a in answers) + "-insights")


@insights.route("/retail-area/compare")
def compare() -> Any:
    areas, errors = _areas()
    answers, errors = _answers(areas) if not errors else ([], errors)
    return tk.render("retailarea/insights/compare.html", extra_vars={
        "answers": answers, "errors": errors or {},
        "areas": tk.request.args.get("areas", ""), "as_of": tk.request.args.get("as_of", "")},
    ), (400 if errors else 200)
