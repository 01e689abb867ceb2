"""The dataset types of the platform and their names in nl and en."""
from __future__ import annotations

TYPES: dict[str, dict[str, str]] = {
    "shop-register": {"en": "Shop register", "nl": "Winkelbestand"},
    "events": {"en": "Events", "nl": "Evenementen"},
    "parking": {"en": "Parking", "nl": "Parkeren"},
    "footfall": {"en": "Footfall", "nl": "Passantentellingen"},
    "dataset": {"en": "Other data", "nl": "Overige data"},
}

SCHEMA_FILES = {
    "shop-register": "shop_register.yaml",
    "events": "events.yaml",
    "parking": "parking.yaml",
    "footfall": "footfall.yaml",
    "dataset": "dataset.yaml",
}


def label(dataset_type: str, lang: str = "en") -> str | None:
    names = TYPES.get(dataset_type)
    if not names:
        return None
    return names.get(lang) or names["en"]
