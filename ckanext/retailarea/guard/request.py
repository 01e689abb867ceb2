"""The request guard: a Flask before_request that runs before any action or view, core
ones included, so none meets a request it cannot use. It answers 400 to NUL
characters and invalid UTF-8 in the path, query or form, and to JSON bodies that are not
an object, nest too deep or hold NaN, Infinity, NUL or lone surrogates; 413 to a body
over ``ckanext.retailarea.guard.max_body_bytes`` (file uploads excepted: CKAN's
``ckan.max_resource_size`` limits those)."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import ckan_before_request
from flask import Response

from ckanext.retailarea import config
from ckanext.retailarea.guard import body

JSON_KINDS = {"list": "a list", "dict": "an object", "str": "a string", "int": "a number",
              "float": "a number",
              "bool": "a boolean", "NoneType": "null"}
MULTIPART = "multipart/form-data"
API = "/api/"
ID_KEYS = ("id", "name", "q", "sql")  # and every key ending in _id
NUMBER_KEYS = ("limit", "offset", "rows")
MAX_NUMBER = 2**31 - 1  # PostgreSQL's LIMIT and OFFSET take bigints, Python any size
URLENCODED = "application/x-www-form-urlencoded"


class Refused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Invalid(Exception):
    """Parameters of an action call that no action can use, by field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def check_request() -> Response | None:
    """Flask before_request: None lets the request through."""
    try:
        _check_bytes(_raw_path(), tk._("The path"))
        _check_bytes(_unquoted(tk.request.query_string), tk._("The query string"))
        _check_body()
        if tk.request.path.startswith(API):
            _check_ids(tk.request.args.to_dict(flat=False), repeated=True)
    except Refused as refused:
        return _answer(refused.status, str(refused))
    except Invalid as invalid:
        return _invalid(invalid.errors)
    return None


def _raw_path() -> bytes:
    """The path's bytes as sent: servers pass the raw URI along (gunicorn and werkzeug as
    RAW_URI, others as REQUEST_URI); PATH_INFO may already hold replacement characters."""
    environ = tk.request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return _unquoted(_latin1(raw.split("?", 1)[0]), plus=False)
    return _latin1(environ.get("PATH_INFO", ""))


def _latin1(text: str) -> bytes:
    try:
        return text.encode("latin-1")  # WSGI carries bytes as latin-1 text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _unquoted(raw: bytes, plus: bool = True) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" ") if plus else raw)


def _check_bytes(raw: bytes, where: str) -> None:
    if b"\x00" in raw:
        raise Refused(tk._("{where} holds a NUL character (%00); remove it").format(
            where=where))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(tk._("{where} is not valid UTF-8; encode text as UTF-8").format(
            where=where)) from None


def _check_body() -> None:
    request = tk.request
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.mimetype == MULTIPART:
        _check_form_fields()
        return
    limit = config.guard_max_body_bytes()
    if (request.content_length or 0) > limit:
        raise _too_large(limit)
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise _too_large(limit)
    if request.mimetype == URLENCODED:
        _check_bytes(_unquoted(data), tk._("The form"))
        _check_legacy_json(request.form)
    elif request.is_json and data:
        value = _check_json(data)
        if request.path.startswith(API):
            _check_ids(value, repeated=False)


def _too_large(limit: int) -> Refused:
    return Refused(tk._("The request body is larger than {limit} bytes").format(
        limit=limit), 413)


def _check_form_fields() -> None:
    for key, value in tk.request.form.items(multi=True):
        problem = body.text_problem(key) or body.text_problem(value)
        if problem:
            raise Refused(tk._("The form: {problem}").format(problem=problem))


def _check_legacy_json(form: Any) -> None:
    """CKAN's API reads a form of one key with an empty value as a JSON body."""
    keys = list(form.keys())
    if len(keys) == 1 and form[keys[0]] in ("", "1") and keys[0][:1] in "[{":
        _check_json(keys[0].encode("utf-8"))


def _check_json(data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(tk._("The JSON body is not valid UTF-8")) from None
    try:
        value = body.parse(text, config.guard_max_json_depth())
    except body.BadBody as bad:
        raise Refused(tk._("The JSON body cannot be used: {reason}").format(
            reason=bad)) from None
    if not isinstance(value, dict):
        raise Refused(tk._("The JSON body must be an object ({{...}}), not {kind}").format(
            kind=_kind(value)))
    return value


def _kind(value: Any) -> str:
    return JSON_KINDS.get(type(value).__name__, type(value).__name__)


def _check_ids(data: dict[str, Any], repeated: bool) -> None:
    """Ids, names and queries of an action call are text: core actions hand them to
    PostgreSQL, SQLAlchemy or str methods as they come (docs/upstream.md)."""
    errors = {}
    for key, value in data.items():
        if not (key in ID_KEYS or key in NUMBER_KEYS or key.endswith("_id")):
            continue
        if repeated and len(value) > 1:
            problem = tk._("Give one value, not {count}").format(count=len(value))
        elif key in NUMBER_KEYS:
            problem = _number_problem(value[0] if repeated else value)
        else:
            problem = None if repeated else _id_problem(key, value)
        if problem:
            errors[key] = [problem]
    if errors:
        raise Invalid(errors)


def _id_problem(key: str, value: Any) -> str | None:
    if isinstance(value, str) or (value is None and key != "q"):
        return None
    return tk._("Must be a string, not {kind}").format(kind=_kind(value))


def _number_problem(value: Any) -> str | None:
    """Paging numbers: whole numbers PostgreSQL can take (CKAN's convert_int raises a
    TypeError on a list, PostgreSQL an error on 2**63)."""
    if isinstance(value, (list, dict, bool)):
        return tk._("Must be a whole number, not {kind}").format(kind=_kind(value))
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None  # the action says what is wrong with it
    if abs(number) > MAX_NUMBER:
        return tk._("At most {limit}").format(limit=MAX_NUMBER)
    return None


def _invalid(errors: dict[str, list[str]]) -> Response:
    """CKAN's answer to a Validation Error of an action."""
    payload = {"success": False, "error": {"__type": "Validation Error", **errors}}
    return Response(json.dumps(payload, ensure_ascii=False), status=409,
                    mimetype="application/json")


def _answer(status: int, message: str) -> Response:
    if tk.request.path.startswith(API):
        error = {"__type": "Bad request", "message": message}
        payload = json.dumps({"success": False, "error": error}, ensure_ascii=False)
        return Response(payload, status=status, mimetype="application/json")
    return Response(message + "\n", status=status, mimetype="text/plain")


def install(app: Any) -> Any:
    """Put the guard right after CKAN's own before_request (which identifies the user
    and starts the timer its after_request reads), before every other one."""
    funcs = app.before_request_funcs.setdefault(None, [])
    index = next((i + 1 for i, func in enumerate(funcs) if func is ckan_before_request), 0)
    funcs.insert(index, check_request)
    return app
