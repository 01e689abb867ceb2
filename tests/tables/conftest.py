"""Helpers for the table tests: pure Python, no CKAN and no database."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text (UTF-8 unless ``encoding`` says otherwise) or bytes to a file, return it."""

    def write(content: str | bytes, name: str = "upload.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        data = content.encode(encoding) if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write
