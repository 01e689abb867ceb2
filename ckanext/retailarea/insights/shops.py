"""Shop-register figures of one dataset: units, vacancy, mix by branch group, floor area.

A unit is vacant when its Locatus branch code is in group ``00`` or ``is_vacant`` is true.
With full access the register is read as it stood on ``as_of`` (``valid_from`` <= day <
``valid_to``) and a year before. In aggregate mode only its current rows count (the
answer does not move with ``as_of``, so two answers differ by no single shop), a branch
group under ``min_group_size`` shops is merged into ``other`` together with enough others
that ``other`` holds that many shops in more than one group
(``disclosure.suppress_groups``); the vacancy rate is left out when group ``00`` is merged.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from ckanext.retailarea.footfall.query import as_json
from ckanext.retailarea.footfall.sql import identifier
from ckanext.retailarea.insights import disclosure

VACANT = "00"
CURRENT = "valid_to IS NULL"
ON_DAY = "(valid_from IS NULL OR valid_from <= :day) AND (valid_to IS NULL OR valid_to > :day)"


def _statement(tables: list[str], when: str) -> str:
    rows = " UNION ALL ".join(
        f"SELECT shop_id, locatus_branch_code, is_vacant, floor_area_m2 "  # noqa: S608 - tables pass through identifier(); the condition is one of our constants; values are bound
        f"FROM {identifier(t)} WHERE {when}" for t in tables)
    return f"""
    SELECT coalesce(json_agg(json_build_array(branch_group, units, vacant, area, known)), '[]')
    FROM (SELECT coalesce(nullif(split_part(locatus_branch_code, '.', 1), ''), 'unknown')
                   AS branch_group,
                 count(*) AS units,
                 count(*) FILTER (WHERE is_vacant OR locatus_branch_code LIKE '00%') AS vacant,
                 sum(floor_area_m2) AS area, count(floor_area_m2) AS known
          FROM ({rows}) AS shops GROUP BY 1) AS groups"""  # noqa: S608 - fragments made here of constants and quoted identifiers; values are bound


def _read(connection, tables: list[str], when: str, day: dt.date | None) -> list[list[Any]]:
    return as_json(connection.execute(sa.text(_statement(tables, when)), {"day": day}).scalar())


def figures(connection, tables: list[str], as_of: dt.date, k: int) -> dict[str, Any]:
    if k > 1:
        return _aggregate(_read(connection, tables, CURRENT, None), k)
    now = _summary(_read(connection, tables, ON_DAY, as_of))
    before_day = as_of.replace(year=as_of.year - 1) if (as_of.month, as_of.day) != (2, 29) \
        else as_of - dt.timedelta(days=366)
    before = _summary(_read(connection, tables, ON_DAY, before_day))
    now["previous"] = {"reference_date": before_day.isoformat(), "units": before["units"],
                       "vacancy_rate_pct": before["vacancy_rate_pct"]}
    now["change"] = {"units": now["units"] - before["units"],
                     "vacancy_rate_pct": None if None in (now["vacancy_rate_pct"],
                                                          before["vacancy_rate_pct"])
                     else round(now["vacancy_rate_pct"] - before["vacancy_rate_pct"], 1)}
    now["reference_date"] = as_of.isoformat()
    return now


def _summary(groups: list[list[Any]]) -> dict[str, Any]:
    units = sum(g[1] for g in groups)
    vacant = sum(g[2] for g in groups)
    known = sum(g[4] for g in groups)
    area = sum(float(g[3] or 0) for g in groups)
    return {
        "units": units, "vacant": vacant,
        "vacancy_rate_pct": round(100.0 * vacant / units, 1) if units else None,
        "floor_area_m2": round(area) if known else None, "floor_area_known_units": known,
        "mix": [{"branch_group": g[0], "units": g[1],
                 "share_pct": round(100.0 * g[1] / units, 1)}
                for g in sorted(groups, key=lambda g: (-g[1], g[0]))],
        "suppressed": [],
    }


def _aggregate(groups: list[list[Any]], k: int) -> dict[str, Any]:
    """The current register with small groups hidden; nothing at all under ``k`` shops."""
    found = _summary(groups)
    reasons = []
    if found["units"] < k:
        return {"units": None, "vacant": None, "vacancy_rate_pct": None, "floor_area_m2": None,
                "floor_area_known_units": None, "mix": [],
                "suppressed": [{"figure": "shops", "reason": "group_too_small"}],
                "reference_date": "current"}
    hidden = disclosure.suppress_groups({g[0]: g[1] for g in groups}, k)
    if hidden:
        units = sum(g[1] for g in groups if g[0] in hidden)
        found["mix"] = [e for e in found["mix"] if e["branch_group"] not in hidden] + [
            {"branch_group": "other", "units": units,
             "share_pct": round(100.0 * units / found["units"], 1)}]
        reasons.append({"figure": "mix", "reason": "group_too_small"})
    vacancy_hidden = VACANT in hidden or (found["vacant"] and found["vacant"] < k)
    if vacancy_hidden:
        found["vacant"] = found["vacancy_rate_pct"] = None
        reasons.append({"figure": "vacancy_rate_pct", "reason": "group_too_small"})
    if found["floor_area_known_units"] < k:
        found["floor_area_m2"] = None
        reasons.append({"figure": "floor_area_m2", "reason": "group_too_small"})
    found.update(suppressed=reasons, reference_date="current")
    return found
