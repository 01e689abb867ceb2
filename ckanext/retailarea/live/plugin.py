"""The app API (issue 21): wiring only."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.retailarea.live import actions, auth, helpers, views


@tk.blanket.actions(actions.get_actions)
@tk.blanket.auth_functions(auth.get_auth_functions)
@tk.blanket.blueprints(views)
@tk.blanket.helpers(helpers.get_helpers)
class RetailAreaLivePlugin(p.SingletonPlugin):
    """Read-only actions for apps (parking now, events between, open at) and their
    addresses under /api/retailarea/; the schema.org JSON-LD embedded in the pages of
    public events and shop-register datasets; "Parking now" on parking dataset pages.
    Needs `datastore` and `retailarea_access`."""
