"""How the dataset page shows metadata values: which fields are set, durations in
words, the spatial coverage for a map. Helpers return data, never HTML."""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea import config
from ckanext.retailarea.ui.helpers import _geometry

# ISO 8601 durations as the validator accepts them (P1Y, P1W, PT15M, P1DT12H, ...)
_DURATION = re.compile(
    r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$")


def _units() -> dict[str, Any]:
    """One plural-aware phrase per unit; gettext sees every string literally."""
    return {
        "years": lambda n: tk.ungettext("%(num)d year", "%(num)d years", n),
        "months": lambda n: tk.ungettext("%(num)d month", "%(num)d months", n),
        "weeks": lambda n: tk.ungettext("%(num)d week", "%(num)d weeks", n),
        "days": lambda n: tk.ungettext("%(num)d day", "%(num)d days", n),
        "hours": lambda n: tk.ungettext("%(num)d hour", "%(num)d hours", n),
        "minutes": lambda n: tk.ungettext("%(num)d minute", "%(num)d minutes", n),
        "seconds": lambda n: tk.ungettext("%(num)d second", "%(num)d seconds", n),
    }


def retailarea_is_set(value: Any) -> bool:
    """Whether a field has a value worth a row: ``False`` and ``0`` count, empty text,
    lists and dicts do not."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return any(retailarea_is_set(item) for item in
                   (value.values() if isinstance(value, dict) else value))
    return True


def retailarea_duration_words(value: Any) -> str:
    """An ISO 8601 duration in words of the current language (``PT15M``: "15 minutes",
    ``P1Y6M``: "1 year and 6 months"); anything else comes back as it was."""
    text = value.strip() if isinstance(value, str) else ""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return "" if value is None else str(value)
    units = _units()
    parts = [units[unit](int(amount)) % {"num": int(amount)}
             for unit, amount in match.groupdict().items() if amount is not None]
    if not parts:
        return text
    if len(parts) == 1:
        return parts[0]
    return tk._("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def retailarea_spatial_map(value: Any, title: str) -> dict[str, Any]:
    """What the small map of a dataset's spatial coverage needs (the same shape as
    ``retailarea_area_map``): the outline without a link, the configured tiles, and the
    GeoJSON as text for the fallback; ``geometry`` is None when the value is no GeoJSON."""
    geometry = _geometry(value)
    return {
        "areas": [{"name": "spatial", "title": title, "url": None, "geometry": geometry}],
        "geometry": geometry,
        "text": value if isinstance(value, str) else tk.h.dump_json(value),
        "tile_url": config.map_tile_url(),
        "attribution": config.map_attribution(),
    }
