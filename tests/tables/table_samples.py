"""The valid sample CSVs in fixtures/, one per table schema."""
from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    """The text of the valid sample CSV of table schema ``name``."""
    return (FIXTURES / f"{name}.csv").read_text(encoding="utf-8")
