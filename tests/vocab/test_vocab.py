"""The controlled vocabularies: API behaviour and data reproducible from the reference."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from ckanext.retailarea import vocab

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / ".." / "shared" / "reference"
DATA = REPO / "ckanext" / "retailarea" / "vocab" / "data"

NAMES = ["access_level", "access_reason", "file_type", "frequency", "legal_basis",
         "purpose", "theme"]
EU_THEMES = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST",
             "REGI", "SOCI", "TECH", "TRAN"}
# Sources without Dutch labels, where nl repeats en by design.
NL_FROM_EN = {"file_type"}
# Words Dutch borrows unchanged.
SAME_IN_NL = {("purpose", "Marketing")}


def _build_script() -> ModuleType:
    path = REPO / "bin" / "build-vocabularies.py"
    spec = importlib.util.spec_from_file_location("build_vocabularies", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _concepts() -> list[tuple[str, str]]:
    return [(name, code) for name in NAMES for code in vocab.codes(name)]


def test_names():
    assert vocab.names() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_vocabulary_has_unique_codes(name):
    codes = vocab.codes(name)
    assert codes
    # from_uri matches case-insensitively, so codes must not differ by case alone.
    assert len({code.lower() for code in codes}) == len(codes)


@pytest.mark.parametrize(("name", "code"), _concepts())
def test_every_code_has_nl_and_en_labels(name, code):
    en, nl = vocab.label(name, code, "en"), vocab.label(name, code, "nl")
    assert en.strip() and nl.strip()
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    (concept,) = [c for c in data["concepts"] if c["code"] == code]
    assert set(concept["label"]) == {"en", "nl"}
    if name not in NL_FROM_EN and (name, code) not in SAME_IN_NL:
        assert nl != en


@pytest.mark.parametrize(("name", "code"), _concepts())
def test_uris_round_trip_through_from_uri(name, code):
    uri = vocab.uri(name, code)
    assert uri
    http = uri.replace("https://", "http://", 1)
    https = uri.replace("http://", "https://", 1)
    for variant in (uri, http, https, uri + "/", f" {uri} ", uri.upper()):
        assert vocab.from_uri(name, variant) == code, variant


def test_from_uri_accepts_bare_eu_access_right_codes():
    assert vocab.from_uri("access_level", "PUBLIC") == "public"
    assert vocab.from_uri("access_level", "RESTRICTED") == "restricted"
    assert vocab.from_uri("access_level", "NON_PUBLIC") == "non_public"
    assert vocab.from_uri("access_level", "non_public") == "non_public"


def test_from_uri_rejects_unknown_values():
    assert vocab.from_uri("theme", "http://example.org/ECON") is None
    assert vocab.from_uri("theme", "ECON") is None  # bare codes only for access_level
    assert vocab.from_uri("theme", "") is None


def test_access_reason_alias_uri():
    # The DONL term file CONFIDENTIAL.ttl defines its term as .../VERTROUWELIJK.
    alias = "https://dcat.overheid.nl/application-profile/donl/term/VERTROUWELIJK"
    assert vocab.from_uri("access_reason", alias) == "CONFIDENTIAL"


def test_access_level_codes_and_uris():
    assert vocab.codes("access_level") == ["non_public", "restricted", "public"]
    base = "http://publications.europa.eu/resource/authority/access-right/"
    assert vocab.uri("access_level", "restricted") == base + "RESTRICTED"
    assert vocab.label("access_level", "non_public", "nl") == "Niet publiek"


def test_theme_is_exactly_the_13_eu_data_themes():
    assert set(vocab.codes("theme")) == EU_THEMES
    assert vocab.uri("theme", "ECON") == (
        "http://publications.europa.eu/resource/authority/data-theme/ECON")
    assert vocab.label("theme", "TRAN", "nl") == "Vervoer"


def test_legal_basis_is_gdpr_article_6_1():
    assert vocab.codes("legal_basis") == [f"A6-1-{letter}" for letter in "abcdef"]
    assert vocab.uri("legal_basis", "A6-1-a") == "https://w3id.org/dpv/legal/eu/gdpr#A6-1-a"


def test_frequency_and_file_type_skip_provisional_and_deprecated():
    frequencies = vocab.codes("frequency")
    assert {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "CONT", "UPDATE_CONT",
            "IRREG", "NEVER", "UNKNOWN", "HOURLY"} <= set(frequencies)
    assert frequencies.index("HOURLY") < frequencies.index("DAILY") < frequencies.index(
        "ANNUAL")
    file_types = vocab.codes("file_type")
    assert {"CSV", "JSON", "GEOJSON", "XLSX", "PDF", "RDF_TURTLE", "SHP"} <= set(file_types)
    for codes in (frequencies, file_types, vocab.codes("theme")):
        assert "OP_DATPRO" not in codes
    assert "FMX2" not in file_types


def test_purposes_are_dpv_terms():
    purposes = vocab.codes("purpose")
    assert {"ServiceProvision", "ResearchAndDevelopment", "Marketing",
            "PublicBenefit"} <= set(purposes)
    assert vocab.uri("purpose", "ServiceProvision") == "https://w3id.org/dpv#ServiceProvision"
    assert vocab.label("purpose", "PublicBenefit") == "Public Benefit"


def test_implied_access_level():
    assert vocab.implied_access_level("PRIVACY") == "non_public"
    assert vocab.implied_access_level("ONDER_VOORWAARDEN") == "restricted"
    assert vocab.implied_access_level("NOPE") is None
    for reason in vocab.codes("access_reason"):
        assert vocab.implied_access_level(reason) in {"non_public", "restricted"}


def test_label_fallbacks():
    assert vocab.label("theme", "ECON", "nl_NL") == "Economie en financiën"
    assert vocab.label("theme", "ECON", "de") == "Economy and finance"
    assert vocab.label("theme", "NOPE", "nl") == "NOPE"
    assert vocab.uri("theme", "NOPE") is None


def test_choices_in_scheming_format():
    choices = vocab.choices("legal_basis")
    assert choices[0] == {
        "value": "A6-1-a",
        "label": {"en": "Consent (GDPR Art. 6(1)(a))",
                  "nl": "Toestemming (AVG art. 6 lid 1 sub a)"},
    }
    assert [c["value"] for c in choices] == vocab.codes("legal_basis")
    choices[0]["label"]["en"] = "changed"
    assert vocab.label("legal_basis", "A6-1-a") != "changed"


def test_scheming_choices_reads_the_field_vocabulary():
    field = {"field_name": "frequency", "vocabulary": "frequency"}
    assert vocab.scheming_choices(field) == vocab.choices("frequency")
    with pytest.raises(KeyError, match="'frequency'.*no 'vocabulary' key"):
        vocab.scheming_choices({"field_name": "frequency"})


@pytest.mark.parametrize("call", [
    lambda: vocab.codes("colour"),
    lambda: vocab.label("colour", "red"),
    lambda: vocab.uri("colour", "red"),
    lambda: vocab.from_uri("colour", "http://example.org/red"),
    lambda: vocab.choices("colour"),
    lambda: vocab.scheming_choices({"vocabulary": "colour"}),
])
def test_unknown_vocabulary_raises_key_error(call):
    with pytest.raises(KeyError, match="unknown vocabulary 'colour'; known: access_level"):
        call()


def test_data_files_are_valid_json_with_provenance():
    files = sorted(DATA.glob("*.json"))
    assert [path.stem for path in files] == NAMES
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["name"] == path.stem
        assert data["source"] and data["licence"] and data["version"]
        assert data["concepts"]
    assert "W3C Software and Document" in (DATA / "NOTICE-DPV.md").read_text(encoding="utf-8")


def test_data_matches_what_the_build_script_produces(tmp_path):
    # No skip: CI checks out the reference next to the repository, as in development.
    assert REFERENCE.is_dir(), f"reference vocabularies not found at {REFERENCE.resolve()}"
    written = _build_script().build(REFERENCE, tmp_path)
    built = sorted(path.name for path in written)
    assert built == sorted(path.name for path in DATA.iterdir())
    for name in built:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} is stale: run .venv/bin/python bin/build-vocabularies.py")
