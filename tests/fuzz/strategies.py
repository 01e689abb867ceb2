"""Hypothesis strategies for bad input: strings with NUL, control and RTL characters,
huge strings, wrong JSON types, huge and negative numbers, dates at the edges, and the
real names and ids of the catalog, so requests also reach existing objects."""
from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

NASTY_CHARS = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\u202e", "\u200f", "\u2066",
                               "\ufeff", "\ud800", "%", "'", '"', "\\", "{!", "*", ":",
                               "é", "☕", "\n", " "])
EDGE_DATES = st.sampled_from([
    "0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01",
    "2024-02-29", "2025-02-29", "2025-13-01", "2025-00-10", "2025-06-02T10:00:00+14:00",
    "2025-06-02T25:00", "-2025-01-01", "+002025-01-01", "20250101", "2025-W01", "",
])
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, -1, 2**31, 2**63]),
    st.floats(allow_nan=False, allow_infinity=False), st.just(1e308), st.just(-0.0),
)
HUGE = st.sampled_from(["x" * 100_000, "é" * 30_000, "[" * 5000, "\u202e" * 10_000])


def texts(known: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(known),
        st.text(max_size=40),
        st.lists(st.one_of(NASTY_CHARS, st.text(max_size=5)), max_size=8).map("".join),
        st.sampled_from(known).flatmap(
            lambda name: NASTY_CHARS.map(lambda char: name + char)),
        EDGE_DATES,
        HUGE,
        st.sampled_from(["true", "false", "maybe", "-1", "abc", "1e999", "NaN", "null",
                         "day", "month", "approve", "*:*", "{!join from=id to=id}x"]),
    )


def values(known: list[str]) -> st.SearchStrategy[Any]:
    scalar = st.one_of(texts(known), NUMBERS, st.booleans(), st.none())
    return st.recursive(scalar, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(texts(known), inner, max_size=4)),
        max_leaves=8)


def data_dicts(keys: tuple[str, ...], known: list[str]) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.one_of(st.sampled_from(keys), texts(known)), values(known),
                           max_size=5)
