"""Checks of a JSON request body that Python's json module lets through or dies on:
nesting deep enough for a RecursionError, NaN and Infinity, lone surrogates and NUL
characters (valid JSON escapes that PostgreSQL and UTF-8 refuse)."""
from __future__ import annotations

import itertools
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")
DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BadBody(ValueError):
    """The body cannot be used; the message says why."""


def depth(text: str) -> int:
    """How deep arrays and objects nest, brackets inside strings left out; no recursion,
    so a body nested a million deep costs one scan."""
    steps = (DEPTH_STEP[b] for b in BRACKETS.findall(STRING.sub("", text)))
    return max(itertools.accumulate(steps, initial=0))


def _no_constant(name: str) -> Any:
    raise BadBody(tk._("{name} is not a JSON number").format(name=name))


def parse(text: str, max_depth: int) -> Any:
    """The parsed body, or BadBody with the reason."""
    if depth(text) > max_depth:
        raise BadBody(tk._("it nests deeper than {limit} levels").format(limit=max_depth))
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except BadBody:
        raise
    except ValueError as error:
        raise BadBody(tk._("it is not valid JSON: {error}").format(error=error)) from None
    problem = unusable_string(value)
    if problem:
        raise BadBody(problem)
    return value


def unusable_string(value: Any) -> str | None:
    """Why a key or string in the parsed value cannot be stored, or None."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return problem
    return None


def text_problem(text: str) -> str | None:
    if "\x00" in text:
        return tk._("it holds a NUL character (\\u0000)")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return tk._("it holds a lone surrogate (\\ud800-\\udfff), which is not a character")
    return None
