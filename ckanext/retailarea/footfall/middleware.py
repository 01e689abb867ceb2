"""The Action API answers 409 to a ValidationError; the series answer 400, as the issue
asks (bad input of a read is a bad request, not a conflict). CKAN's JSON body stays."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

SERIES_ACTIONS = ("retailarea_footfall_series", "retailarea_parking_occupancy_series")


def bad_request_for_invalid_series(response: Any) -> Any:
    """Flask after_request hook."""
    if response.status_code != 409 or tk.request.endpoint != "api.action":
        return response
    if (tk.request.view_args or {}).get("logic_function") in SERIES_ACTIONS:
        response.status_code = 400
    return response
