"""Sends one fuzzed request and fails on a 5xx, an exception or an error in the log."""
from __future__ import annotations

import json
import logging
import traceback
from collections import Counter
from typing import Any
from urllib.parse import quote

import ckan.model as model

API = "/api/3/action/"
SENT: Counter[str] = Counter()


def _encoded(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(data: dict[str, Any]) -> str:
    """As a browser would send it, lone surrogates and all (as invalid UTF-8)."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{_encoded(key)}={_encoded('' if item is None else item)}")
    return "&".join(pairs)


def _describe(data: Any) -> str:
    text = repr(data)
    return text if len(text) < 600 else text[:600] + f"... ({len(text)} characters)"


class Sender:
    def __init__(self, app: Any, caplog: Any) -> None:
        self.app, self.caplog = app, caplog

    def action(self, name: str, headers: dict[str, str], data: dict[str, Any],
               transport: str) -> int:
        SENT[name] += 1
        if transport == "get":
            return self._check(name, data, lambda: self.app.get(
                f"{API}{name}?{query_string(data)}", headers=headers))
        return self._check(name, data, lambda: self.app.post(
            API + name, data=json.dumps(data), headers=headers,
            content_type="application/json"))

    def page(self, url: str, headers: dict[str, str]) -> int:
        SENT["page"] += 1
        return self._check("page", url, lambda: self.app.get(url, headers=headers))

    def _check(self, name: str, data: Any, send: Any) -> int:
        self.caplog.clear()
        try:
            response = send()
        except Exception as error:
            model.Session.remove()  # as CKAN's after_request would, so the next can run
            raise AssertionError(f"{name} raised {error!r} on {_describe(data)}") from error
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR]
        assert response.status_code < 500, (
            f"{name} answered {response.status_code} on {_describe(data)}: "
            f"{response.get_data(as_text=True)[:400]}\n"
            f"{errors[0].exc_text if errors else _cause(name, data)}")
        assert not errors, (f"{name} logged {errors[0].getMessage()[:400]} "
                            f"{errors[0].exc_text or ''} on {_describe(data)}")
        return response.status_code


def quote_path(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _cause(name: str, data: Any) -> str:
    """The traceback behind an API 500, from calling the action directly (as a sysadmin;
    the API hides it)."""
    if not isinstance(data, dict) or name == "page":
        return ""
    import ckan.logic as logic

    try:
        logic.get_action(name)({"ignore_auth": True}, dict(data))
    except Exception:  # noqa: BLE001 - whatever the action raised is the traceback we report
        return "\n" + traceback.format_exc()[-3000:]
    return ""
