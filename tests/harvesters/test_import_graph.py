"""The harvest package imports without cycles: no module of it imports (directly or
through others) a module that imports it back, so each module imports as the first of the
package, in a fresh interpreter (one for all: the package's modules are dropped from
``sys.modules`` before each, CKAN's stay)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ckanext.retailarea.harvesters as package

PACKAGE = package.__name__
FOLDER = Path(package.__file__).parent
MODULES = sorted(p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__")


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` imports at run time (not for typing only)."""
    tree = ast.parse((FOLDER / f"{module}.py").read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test)
                   for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == PACKAGE:
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PACKAGE):
            found.add(node.module.split(".")[3])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[3] for a in node.names
                      if a.name.startswith(PACKAGE + ".")}
    return found & set(MODULES)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append(path[path.index(module):] + [module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in MODULES:
        visit(module, [])
    return found


def test_the_package_has_no_import_cycle():
    graph = {module: imports_of(module) for module in MODULES}

    assert graph["page"] >= {"importer", "solr"}  # the reader sees imports
    assert cycles(graph) == []


def test_the_cycle_finder_finds_one():
    assert cycles({**{m: set() for m in MODULES}, "gather": {"page"},
                   "page": {"gather"}}) == [["gather", "page", "gather"]]


FIRST_OF_THE_PACKAGE = """
import importlib, sys, traceback
failed = 0
for module in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[loaded]
    try:
        importlib.import_module(PACKAGE + "." + module)
    except Exception:
        failed += 1
        print(module, traceback.format_exc(limit=-3))
sys.exit(failed)
"""


def test_every_module_imports_as_the_first_of_the_package():
    done = subprocess.run(
        [sys.executable, "-c", f"PACKAGE = {PACKAGE!r}\n" + FIRST_OF_THE_PACKAGE, *MODULES],
        check=False, capture_output=True, text=True, timeout=300)

    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
