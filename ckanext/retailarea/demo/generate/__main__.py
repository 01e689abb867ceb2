"""``python -m ckanext.retailarea.demo.generate OUT_DIR``: write the demo CSV files."""
from __future__ import annotations

import sys
from pathlib import Path

from . import generate

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m ckanext.retailarea.demo.generate OUT_DIR")
    for name, path in generate(Path(sys.argv[1])).items():
        print(f"{name:20} {path}")
