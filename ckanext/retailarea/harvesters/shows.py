"""Dictizing each harvested dataset once, not three times.

Saving one dataset shows it in full three times: the kept-DCAT hook (dcat/store.py)
inside package_create, ckanext-activity's subscriber right after it, and the search
index. Each call reads the dataset back from the database (package_dictize: seven
queries) and the first two validate it with the same show schema. Inside :func:`shared`
(around a gather page, or one saved dataset):

- package_dictize of a dataset version already read returns a copy of that reading
  (same id and metadata_modified: the same rows, as nothing outside CKAN's own saving,
  which bumps metadata_modified, writes them during the block);
- an internal, validated package_show (``ignore_auth``: no after_dataset_show hook on
  this platform then depends on the user) of a version already shown returns a copy of
  that answer, after its auth check as usual;
- the search-index cache is skipped: the dataset (or this version of it) is not indexed
  yet, so looking it up in Solr could only miss.

Every other call is answered as usual; the outcome is that of one save after another.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib.dictization import model_dictize

KEY = "retailarea_shared_shows"


@contextlib.contextmanager
def shared() -> Iterator[None]:
    """Share readings of datasets (in this session) until the block ends; a block
    inside another joins it."""
    info = model.Session.info
    if KEY in info:
        yield
        return
    readings: dict[tuple, dict[str, Any]] = {}
    info[KEY] = {"shows": {}, "readings": readings}
    original = model_dictize.package_dictize
    # package_show calls it through the module: this process runs one harvest at a time,
    # in one thread (gather and fetch consumers, run-test).
    model_dictize.package_dictize = functools.partial(_dictize, original, readings)
    try:
        yield
    finally:
        model_dictize.package_dictize = original
        info.pop(KEY, None)


def skip_search_cache() -> bool:
    return KEY in model.Session.info


def show(next_action: Callable[..., Any], context: dict[str, Any],
         data_dict: dict[str, Any], package: Any) -> Any:
    """package_show through the shared answers of the current block, if any."""
    block = model.Session.info.get(KEY)
    if block is None or package is None or not _plain(context, data_dict):
        return next_action(context, data_dict)
    answers = block["shows"]
    key = (package.id, package.metadata_modified)
    if key not in answers:
        answers.clear()  # one dataset at a time: memory stays flat
        answer = next_action(context, data_dict)
        answers[key] = _copy(answer)
        return answer
    context["package"] = package
    tk.check_access("package_show", context, data_dict)
    return _copy(answers[key])


def _dictize(original: Callable[..., dict[str, Any]], readings: dict[tuple, Any],
             pkg: Any, context: Any, include_plugin_data: bool = False) -> dict[str, Any]:
    key = (pkg.id, pkg.metadata_modified, include_plugin_data)
    if key in readings:
        context["with_capacity"] = False  # as the original leaves the context
        return _copy(readings[key])
    result = original(pkg, context, include_plugin_data)
    readings[key] = _copy(result)
    return result


def _plain(context: dict[str, Any], data_dict: dict[str, Any]) -> bool:
    """An internal, validated, non-view package_show with the dataset's own schema."""
    return bool(context.get("ignore_auth")) and context.get("validate", True) \
        and not context.get("for_view") and "schema" not in context \
        and not data_dict.get("use_default_schema") \
        and not data_dict.get("include_plugin_data")


def _copy(value: Any) -> Any:
    """A copy of the dicts and lists of a dataset dict (what its readers change); the
    values themselves are shared, so navl's ``missing`` stays the one ``missing``."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
