"""Work-arounds for 500s that the generated leak matrix (tests/access/
test_generated_matrix.py) finds by calling every action in the registry and every GET
rule, as every role. Chained in front of the originals (never replacing them); each is in
docs/upstream.md.

- ckanext-harvest 1.6.3 registers every public name of its action modules as an action,
  helpers and a class included (``send_mail``, ``InactiveSource``, ...): callable through
  the API, each a 500. Here the API answers 404 for them, as for an unknown action (a
  before_request: whether they are registered depends on what was imported first).
- ``package_collaborator_list``'s auth function asserts the caller is a user (anonymous:
  AssertionError) and ``user_invite``'s reads ``group_id`` unchecked (KeyError).
- ``task_status_update_many`` reads ``data`` unchecked (KeyError).
- ``/dataset/changes_multiple`` lets activity_show's NotFound through (no or unknown
  ``new_id``/``old_id``).
"""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Action, AuthFunction, AuthResult, ChainedAction, Context, DataDict, ErrorDict

# its plugin collects actions and auth functions into one shared dict (a mutable default
# argument of _get_logic_functions), so auth functions become actions too
HARVEST_NON_ACTIONS = ("InactiveSource", "auth_allow_anonymous_access",
                       "harvest_sources_clear", "get_mail_extra_vars",
                       "prepare_summary_mail", "prepare_error_mail", "send_error_email",
                       "send_summary_email", "send_mail")


def _strings(data_dict: DataDict, names: tuple[str, ...]) -> None:
    errors: ErrorDict = {name: [tk._("Missing value")] for name in names
                         if not isinstance(data_dict.get(name), str) or not data_dict[name].strip()}
    if errors:
        raise tk.ValidationError(errors)


@tk.chained_action
def user_invite(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    _strings(data_dict, ("email", "group_id", "role"))
    return next_action(context, data_dict)


@tk.chained_action
def task_status_update_many(next_action: Action, context: Context,
                            data_dict: DataDict) -> Any:
    data = data_dict.get("data")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise tk.ValidationError({"data": [tk._("A list of task statuses")]})
    return next_action(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_collaborator_list(next_auth: AuthFunction, context: Context,
                              data_dict: DataDict | None) -> AuthResult:
    data_dict = data_dict or {}
    if model.User.get(context.get("user") or "") is None:
        return {"success": False, "msg": tk._("Log in first")}
    if model.Package.get(str(data_dict.get("id") or "")) is None:
        return {"success": False, "msg": tk._("Dataset not found")}
    return next_auth(context, data_dict)


def check_request() -> Any:
    """Flask before_request: the API's non-actions and the version range page."""
    endpoint = tk.request.endpoint
    function = (tk.request.view_args or {}).get("logic_function")
    if endpoint == "api.action" and function in HARVEST_NON_ACTIONS:
        return tk.abort(404, tk._("{name} is not an action").format(name=function))
    if endpoint != "activity.package_changes_multiple":
        return None
    from ckanext.activity.model import Activity

    for param in ("new_id", "old_id"):
        value = tk.request.args.get(param)
        if not value or model.Session.get(Activity, value) is None:
            return tk.abort(400, tk._("{param}: the id of an activity of this dataset"
                                      ).format(param=param))
    return None


def chained_actions() -> dict[str, ChainedAction]:
    return {"user_invite": user_invite, "task_status_update_many": task_status_update_many}


def chained_auth() -> dict[str, Any]:
    return {"package_collaborator_list": package_collaborator_list}
