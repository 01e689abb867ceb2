"""A deterministic synthetic catalog of N datasets of our types in the real stack, with
progress: the first 500 through the real actions (validation, Solr index, kept DCAT,
activity), the others copied from them and indexed by CKAN's indexer (see clone.py).

Datasets are named ``bench-00001`` ...; a second run adds only the missing ones.
Usage: python bench/catalog.py --config CONFIG --datasets 10000
"""
from __future__ import annotations

import argparse
import random
import time
from contextlib import contextmanager
from typing import Any

from benchlib import ckan_app, markdown_table, progress, write_result

MUNICIPALITIES = [("GM0513", "gouda"), ("GM0202", "arnhem"), ("GM0344", "utrecht"),
                  ("GM0363", "amsterdam"), ("GM0599", "rotterdam"), ("GM0518", "den-haag"),
                  ("GM0772", "eindhoven"), ("GM0268", "nijmegen"), ("GM0014", "groningen"),
                  ("GM0855", "tilburg")]
TYPES = ["footfall", "parking", "events", "shop-register", "dataset"]
THEMES = ["ECON", "TRAN", "SOCI", "GOVE", "EDUC", "REGI"]
WORDS = ["binnenstad", "winkels", "passanten", "parkeren", "markt", "evenementen",
         "leegstand", "bezoekers", "garage", "koopavond", "braderie", "centrum", "straat"]
# Datasets made through package_create; the rest are copies of them (see clone.py).
TEMPLATES = 500
PURPOSES = ["AcademicResearch", "PublicPolicyMaking", "ServiceProvision"]


def name_of(number: int) -> str:
    return f"bench-{number:05d}"


def area_name(code: str, city: str) -> str:
    return f"bench-{city}-centrum"


def dataset(number: int) -> dict[str, Any]:
    """Dataset ``number``, the same on every run (seeded by its number)."""
    rnd = random.Random(number)  # noqa: S311 (deterministic test data)
    code, city = MUNICIPALITIES[number % len(MUNICIPALITIES)]
    kind = TYPES[number % len(TYPES)]
    words = rnd.sample(WORDS, 4)
    fields: dict[str, Any] = {
        "name": name_of(number), "type": kind, "owner_org": f"bench-gemeente-{city}",
        "title": f"{words[0].capitalize()} {words[1]} {city.capitalize()} {number}",
        "notes": f"Synthetic benchmark dataset {number} about **{words[2]}** and "
                 f"{words[3]} in {city}.\n\n- one\n- two",
        "tags": [{"name": w} for w in sorted(words)],
        "theme": sorted(rnd.sample(THEMES, 2)), "frequency": "MONTHLY",
        "license_id": "cc-by", "groups": [{"name": area_name(code, city)}],
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
        "resources": [{"name": f"Bestand {r}", "url": f"https://data.example.org/{number}/{r}.csv",
                       "format": "CSV"} for r in range(3)],
        **_access(rnd),
        **_type_fields(kind, number),
    }
    return fields


def _access(rnd: random.Random) -> dict[str, Any]:
    roll = rnd.random()
    if roll < 0.8:
        return {"access_level": "public", "contains_personal_data": False}
    if roll < 0.95:
        return {"access_level": "restricted", "contains_personal_data": False,
                "access_reason": "ECONOMISCHE_BELANGEN",
                "permitted_purposes": rnd.sample(PURPOSES, 2)}
    return {"access_level": "non_public", "contains_personal_data": True,
            "access_reason": "PRIVACY", "legal_basis": "A6-1-e"}


def _type_fields(kind: str, number: int) -> dict[str, Any]:
    return {
        "footfall": {"counting_method": "thermal", "number_of_sensors": 6,
                     "temporal_resolution": "PT1H"},
        "parking": {"area_manager_id": str(100 + number % 800), "standard": "SPDP 2.0",
                    "temporal_resolution": "PT15M"},
        "events": {"feed_source": "manual", "language": ["nl"]},
        "shop-register": {"classification_scheme": "locatus", "reference_date": "2026-01-01"},
        "dataset": {},
    }[kind]


def ensure_owners(call: Any) -> None:
    for code, city in MUNICIPALITIES:
        org = f"bench-gemeente-{city}"
        if not _exists(call, "organization_show", org):
            call("organization_create", name=org, title=f"Gemeente {city.capitalize()}")
        area = area_name(code, city)
        if not _exists(call, "group_show", area):
            call("group_create", name=area, type="retail-area", title=f"{city} centrum",
                 municipality_code=code, area_kind="city_centre")


def _exists(call: Any, action: str, name: str) -> bool:
    import ckan.plugins.toolkit as tk

    try:
        call(action, id=name)
        return True
    except tk.ObjectNotFound:
        return False


def existing_names() -> set[str]:
    import ckan.model as model

    query = model.Session.query(model.Package.name).filter(
        model.Package.name.like("bench-%"), model.Package.state == "active")
    return {name for (name,) in query}


def load(config: str, count: int, workers: int = 2, templates: int = TEMPLATES
         ) -> dict[str, Any]:
    """Make datasets 1..count exist: the first ``templates`` through package_create in
    ``workers`` processes, the rest as copies of them (see clone.py), then indexed."""
    import multiprocessing

    import clone

    with _session(config) as call:
        ensure_owners(call)
        have = existing_names()
    templates = min(templates, count)
    missing = [n for n in range(1, count + 1) if name_of(n) not in have]
    created = [n for n in missing if n <= templates]
    copies = [n for n in missing if n > templates]
    started = time.perf_counter()
    if created:
        progress(f"  catalog: creating {len(created)} datasets in {workers} processes")
        chunks = [(config, created[k::workers], k == 0, workers) for k in range(workers)]
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            pool.starmap(_create, chunks)
    if copies:
        progress(f"  catalog: copying {len(copies)} datasets from the first {templates}")
        with _session(config):
            ids = clone.copy_datasets(copies, templates)
        clone.index(config, ids, workers)
    seconds = time.perf_counter() - started
    return {"datasets": count, "created": len(created), "copied": len(copies),
            "seconds": round(seconds, 1)}


@contextmanager
def _session(config: str) -> Any:
    import ckan.plugins.toolkit as tk

    app = ckan_app(config)
    with app.test_request_context():
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})

        def call(action: str, **data: Any) -> Any:
            context = {"user": site_user["name"], "ignore_auth": True}
            return tk.get_action(action)(context, data)

        yield call


def _create(config: str, numbers: list[int], report: bool, workers: int) -> None:
    with _session(config) as call:
        started = time.perf_counter()
        for done, number in enumerate(numbers, start=1):
            call("package_create", **dataset(number))
            if report and (done % 250 == 0 or done == len(numbers)):
                rate = done * workers / (time.perf_counter() - started)
                progress(f"  catalog: ~{done * workers}/{len(numbers) * workers} datasets "
                         f"created ({rate:.0f}/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    result = load(args.config, args.datasets, args.workers)
    write_result("catalog", result)
    print(markdown_table(["datasets", "created", "copied", "seconds"],
                         [[result[k] for k in ("datasets", "created", "copied", "seconds")]]))


if __name__ == "__main__":
    main()
