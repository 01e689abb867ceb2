"""A non-editable wheel carries everything the extension reads at run time."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_wheel_ships_schemas_config_declaration_and_translations(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("ckanext_retailarea-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    schema_files = [
        p.relative_to(ROOT / "schemas").as_posix()
        for p in (ROOT / "schemas").rglob("*") if p.suffix in {".yaml", ".json"}
    ]
    assert schema_files, "schemas/ holds no YAML or JSON"
    for rel in schema_files:
        assert f"ckanext/retailarea/schemas/{rel}" in names
    assert "ckanext/retailarea/config_declaration.yaml" in names
    # what retailarea_schemas reads on a consumer's CKAN (docs/federation.md)
    assert "ckanext/retailarea/metadata/config_declaration.yaml" in names
    assert ("ckanext/retailarea/metadata/templates/scheming/display_snippets/"
            "retailarea_spatial.html") in names
    assert "ckanext/retailarea/i18n/nl/LC_MESSAGES/ckanext-retailarea.mo" in names
    assert not any(n.startswith("tests/") for n in names)
