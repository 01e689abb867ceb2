"""The request guard answers 400 (413 for size) before any action or view runs."""
from __future__ import annotations

import pytest

from ckanext.retailarea.guard import body

API = "/api/3/action/package_show"
SERIES = "/api/3/action/retailarea_footfall_series"


def refused(app, status: int = 400, **request) -> str:
    method = request.pop("method", "post")
    url = request.pop("url", API)
    response = getattr(app, method)(url, status=status, **request)
    if url.startswith("/api/"):
        answer = response.json
        assert answer["success"] is False and answer["error"]["__type"] == "Bad request"
        return answer["error"]["message"]
    return response.get_data(as_text=True)


@pytest.mark.usefixtures("clean_db")
class TestTheGuard:
    def test_nul_and_invalid_utf8_in_path_and_query(self, app):
        assert "NUL" in refused(app, method="get", url="/dataset/a%00b")
        assert "UTF-8" in refused(app, method="get", url="/dataset/%ff%fe")
        assert "query string holds a NUL" in refused(app, method="get",
                                                     url=API + "?id=%00")
        assert "not valid UTF-8" in refused(app, method="get", url=API + "?id=%C3%28")

    @pytest.mark.parametrize("text,reason", [
        ("[" * 100_000 + "]" * 100_000, "deeper than 64 levels"),
        ('{"a": ' * 65 + "1" + "}" * 65, "deeper than 64 levels"),
        ('{"id": NaN}', "NaN is not a JSON number"),
        ('{"id": -Infinity}', "-Infinity is not a JSON number"),
        ('{"id": "\\ud800"}', "lone surrogate"),
        ('{"\\udfff": 1}', "lone surrogate"),
        ('{"id": "a\\u0000b"}', "NUL"),
        ('{"id": ', "not valid JSON"),
        ('["id"]', "must be an object"),
        ('"package"', "must be an object"),
        ("12", "must be an object"),
    ])
    def test_json_bodies(self, app, text, reason):
        message = refused(app, data=text, content_type="application/json")
        assert reason in message, message

    def test_json_sent_as_the_key_of_a_form(self, app):
        """CKAN's API reads a form of one key with an empty value as JSON."""
        message = refused(app, data={"[" * 1000 + "]" * 1000: ""})
        assert "deeper than" in message

    def test_nul_in_forms(self, app):
        assert "NUL" in refused(app, data={"id": "a\x00b"})
        assert "NUL" in refused(app, data={"id": "a\x00b", "upload": (b"x", "x.csv")},
                                content_type="multipart/form-data")

    @pytest.mark.ckan_config("ckanext.retailarea.guard.max_body_bytes", "1000")
    def test_a_body_over_the_limit(self, app):
        message = refused(app, 413, json={"id": "x" * 2000})
        assert "larger than 1000 bytes" in message
        app.post(API, json={"id": "x" * 500}, status=404)

    def test_a_sane_request_passes(self, app):
        app.post(API, json={"id": "no-such-dataset", "deep": [[[[{"a": [1]}]]]]},
                 status=404)
        app.get(SERIES, query_string={"id": "café ☕ ‏", "period": "month"}, status=404)


def test_depth_ignores_brackets_in_strings():
    assert body.depth('{"a": "[[[[{{{{", "b": ["\\"]]]"]}') == 2
    assert body.depth("[]") == 1
    assert body.depth('"x"') == 0
