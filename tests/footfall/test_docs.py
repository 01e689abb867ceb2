"""The example in docs/footfall.md is a real answer of the API."""
from __future__ import annotations

import json
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "footfall.md"


def documented(name: str) -> str:
    """The fenced block after the HTML comment <!-- example: name -->."""
    text = DOC.read_text(encoding="utf-8")
    return re.search(rf"<!-- example: {name} -->\s*```\w*\n(.*?)```", text, re.S).group(1)


def test_the_documented_example_is_what_the_api_answers(app, tiny, steward):
    request = documented("request").strip()
    query = request.split("?", 1)[1].replace("tellingen-gouda", steward["dataset"]["name"])
    response = app.get(f"/api/3/action/retailarea_footfall_series?{query}", status=200)
    answer = response.json["result"]
    answer["datasets"] = [{**d, "id": "…", "name": "tellingen-gouda", "title": "…",
                           "resources": ["…"]} for d in answer["datasets"]]
    print(json.dumps(answer, indent=1))
    assert answer == json.loads(documented("response"))
