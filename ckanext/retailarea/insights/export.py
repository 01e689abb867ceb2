"""Every figure of one or more insights answers as rows: area, section, dataset, figure,
value; for the CSV and JSON downloads of the dashboard and the comparison."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

SECTIONS = ("footfall", "shops", "parking", "events", "freshness")
COLUMNS = ("area", "section", "dataset", "figure", "value")
# Keys that name an item of a list (a month, a weekday, ...), in the order they are joined.
ITEM_KEYS = ("month", "weekday", "hour", "branch_group", "event_id", "facility", "figure")
SKIP = {"source", "facilities_source", "tariffs_source", "footfall_source"}


def _flatten(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in SKIP:
                yield from _flatten(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            name = _item_name(item) if isinstance(item, dict) else str(number)
            yield from _flatten(_without_names(item), f"{path}[{name}]")
    else:
        yield path, value


def _item_name(item: dict[str, Any]) -> str:
    names = [str(item[key]) for key in ITEM_KEYS if key in item]
    return ",".join(names) if names else "?"


def _without_names(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    return {k: v for k, v in item.items() if k not in ITEM_KEYS}


def rows(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in SECTIONS:
        for entry in answer.get(section, []):
            dataset = entry["source"]["dataset"]
            for figure, value in _flatten(entry, ""):
                yield {"area": answer["area"], "section": section, "dataset": dataset,
                       "figure": figure, "value": value}


def to_csv(answers: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer: csv.DictWriter[str] = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for answer in answers:
        writer.writerows(rows(answer))
    return out.getvalue()
