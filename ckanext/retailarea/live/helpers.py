"""Template helpers of the live package: the JSON-LD a dataset page embeds, and the
figures of a parking dataset's page ("Parking now")."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.retailarea.live import embed


def retailarea_parking_now_of(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """``{"area", "facilities"}`` of a parking dataset as ``retailarea_parking_now``
    answers them to whoever looks (its access rules and logging): the facilities whose
    newest observation this dataset holds, of its first retail area that has any; None
    when there are none."""
    if pkg.get("type") != "parking":
        return None
    for group in pkg.get("groups") or []:
        try:
            answer = tk.get_action("retailarea_parking_now")({}, {"area": group["name"]})
        except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
            continue
        mine = [f for f in answer["facilities"] if f["dataset"] == pkg["name"]]
        if mine:
            return {"area": answer["area"], "facilities": mine}
    return None


def get_helpers() -> dict[str, Any]:
    return {"retailarea_dataset_json_ld": embed.retailarea_dataset_json_ld,
            "retailarea_parking_now_of": retailarea_parking_now_of}
