"""Core pages that answer 500 to a bad address, overridden by a route registered before
theirs (see docs/upstream.md); each checks what the core view assumes, then hands over."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from flask import Blueprint

upstream = Blueprint("retailarea_upstream", __name__)


@upstream.route("/dataset/<id>/resources/<resource_id>/history/<activity_id>")
def resource_history(id: str, resource_id: str, activity_id: str) -> Any:
    """ckanext-activity's view asserts that the activity exists and reads its dataset
    without a check: an unknown activity, or one of a group, was a 500."""
    from ckanext.activity import views as activity_views
    from ckanext.activity.model import Activity

    activity = model.Session.get(Activity, activity_id)
    if activity is None or "package" not in (activity.data or {}):
        return tk.abort(404, tk._("Activity not found"))
    return activity_views.resource_history(id, resource_id, activity_id)
