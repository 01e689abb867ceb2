#!/usr/bin/env python3
"""Build the controlled vocabularies in ``ckanext/retailarea/vocab/data/``.

Usage::

    .venv/bin/python bin/build-vocabularies.py [REFERENCE_DIR] [--out DIR]

REFERENCE_DIR is the shared reference tree (default ``../shared/reference`` next to the
repository). The script reads the EU Publications Office authority tables, the W3C DPV
purposes module and the DCAT-AP-DONL access-rights taxonomy with rdflib and writes one
compact, deterministic JSON file per vocabulary plus the DPV licence notice.

Everything we wrote ourselves (Dutch labels the sources lack, the access-reason labels, the
GDPR legal bases, which subsets we keep and in what order) lives in this file, so the
generated data can always be rebuilt and checked (tests/vocab compares the two).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO / ".." / "shared" / "reference"
DEFAULT_OUT = REPO / "ckanext" / "retailarea" / "vocab" / "data"

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
AT = rdflib.Namespace("http://publications.europa.eu/ontology/authority/")
EUVOC = rdflib.Namespace("http://publications.europa.eu/ontology/euvoc#")
SW = rdflib.Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")
DPV = rdflib.Namespace("https://w3id.org/dpv#")
DPV_GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
DONL_TERM = "https://dcat.overheid.nl/application-profile/donl/term/"

DPV_PURPOSES = "vocabularies/dpv/2.3/dpv/modules/purposes.ttl"
DPV_NOTICE = "NOTICE-DPV.md"

EU_LICENCE = (
    "EU Publications Office authority table, © European Union; reuse is authorised "
    "provided the source is acknowledged (Commission Decision 2011/833/EU)."
)
OURS = "written for ckanext-retailarea (AGPL-3.0-or-later)"

# OP adds this "provisional data" marker concept to every authority table; it is not a value.
OP_PROVISIONAL = "OP_DATPRO"

# Most protective first: with no explicit default, a form then starts on the safest choice.
ACCESS_LEVELS: dict[str, tuple[str, str]] = {
    "non_public": ("NON_PUBLIC", "Niet publiek"),
    "restricted": ("RESTRICTED", "Beperkt toegankelijk"),
    "public": ("PUBLIC", "Publiek"),
}

# Codes and their EU access level come from the DONL taxonomy (read at build time). That
# repository has no licence, so only the identifiers are taken; these labels are ours,
# phrased after the grounds of the Dutch Open Government Act (Woo).
ACCESS_REASONS: dict[str, dict[str, str]] = {
    "BELANG_BETREKKINGEN": {
        "en": "International relations",
        "nl": "Internationale betrekkingen",
    },
    "CONFIDENTIAL": {
        "en": "Information supplied in confidence",
        "nl": "Vertrouwelijk verstrekte gegevens",
    },
    "ECONOMISCHE_BELANGEN": {
        "en": "Economic or financial interests",
        "nl": "Economische of financiële belangen",
    },
    "GEVAAR_EENHEID_KROON": {
        "en": "Unity of the Crown",
        "nl": "Eenheid van de Kroon",
    },
    "INSPECTIE_CONTROLE_TOEZICHT": {
        "en": "Inspection and supervision by public bodies",
        "nl": "Toezicht en handhaving door de overheid",
    },
    "NIET_PUBLIEK": {
        "en": "Other or unspecified reason",
        "nl": "Andere of niet nader genoemde reden",
    },
    "ONDER_VOORWAARDEN": {
        "en": "Available on conditions",
        "nl": "Beschikbaar onder voorwaarden",
    },
    "PERSOONLIJKE_BELEIDSOPVATTINGEN": {
        "en": "Personal policy opinions",
        "nl": "Persoonlijke beleidsopvattingen",
    },
    "PRIVACY": {
        "en": "Personal data protection",
        "nl": "Bescherming van persoonsgegevens",
    },
    "RECHTEN_VAN_DERDEN": {
        "en": "Third-party rights (e.g. copyright, database right)",
        "nl": "Rechten van derden (zoals auteurs- of databankrecht)",
    },
    "STAATSVEILIGHEID": {
        "en": "National security",
        "nl": "Veiligheid van de staat",
    },
    "STRAFRECHT": {
        "en": "Criminal investigation and prosecution",
        "nl": "Opsporing en vervolging van strafbare feiten",
    },
}

# From most to least frequent, so a select list reads naturally; codes the table adds later
# go after these, sorted.
FREQUENCY_ORDER = (
    "CONT", "UPDATE_CONT", "HOURLY", "BIHOURLY", "TRIHOURLY", "DAILY_2", "DAILY",
    "WEEKLY_3", "WEEKLY_2", "WEEKLY", "BIWEEKLY", "MONTHLY_3", "MONTHLY_2", "MONTHLY",
    "BIMONTHLY", "QUARTERLY", "ANNUAL_3", "ANNUAL_2", "ANNUAL", "BIENNIAL", "TRIENNIAL",
    "QUADRENNIAL", "QUINQUENNIAL", "DECENNIAL", "BIDECENNIAL", "TRIDECENNIAL",
    "IRREG", "OTHER", "UNKNOWN", "NEVER",
)

# Formats a shopping-area platform publishes or harvests (tables, feeds, geodata, linked
# data, calendars, map services). GPKG and PARQUET are not in the 2019 table we have.
FILE_TYPES = (
    "ATOM", "CSV", "DOCX", "GEOJSON", "GML", "GZIP", "HTML", "ICS", "JPEG", "JSON",
    "JSON_LD", "KML", "KMZ", "ODS", "PDF", "PNG", "RDF_N_TRIPLES", "RDF_TURTLE", "RDF_XML",
    "REST", "RSS", "SHP", "SPARQLQ", "SVG", "TSV", "TXT", "WFS_SRVC", "WMS_SRVC", "XLS",
    "XLSX", "XML", "ZIP",
)

# DPV purposes that data users of a shopping area state (consumer apps, retailers'
# research, city management and statistics, marketing). DPV labels are English only, so
# the nl labels are ours.
PURPOSES_NL: dict[str, str] = {
    "AcademicResearch": "Academisch onderzoek",
    "CommercialPurpose": "Commercieel doel",
    "CommercialResearch": "Commercieel onderzoek",
    "ImprovePublicServices": "Verbeteren van publieke dienstverlening",
    "ImproveTransportMobility": "Verbeteren van verkeer en mobiliteit",
    "Marketing": "Marketing",
    "NonCommercialPurpose": "Niet-commercieel doel",
    "NonCommercialResearch": "Niet-commercieel onderzoek",
    "ProtectionOfPublicSecurity": "Bescherming van de openbare veiligheid",
    "ProvideEventRecommendations": "Aanbevelen van evenementen",
    "ProvideOfficialStatistics": "Officiële statistiek",
    "PublicBenefit": "Algemeen nut",
    "PublicPolicyMaking": "Beleidsvorming door de overheid",
    "ResearchAndDevelopment": "Onderzoek en ontwikkeling",
    "ServiceOptimisation": "Optimaliseren van diensten",
    "ServiceProvision": "Dienstverlening",
}

LEGAL_BASES: dict[str, dict[str, str]] = {
    "A6-1-a": {
        "en": "Consent (GDPR Art. 6(1)(a))",
        "nl": "Toestemming (AVG art. 6 lid 1 sub a)",
    },
    "A6-1-b": {
        "en": "Contract (GDPR Art. 6(1)(b))",
        "nl": "Overeenkomst (AVG art. 6 lid 1 sub b)",
    },
    "A6-1-c": {
        "en": "Legal obligation (GDPR Art. 6(1)(c))",
        "nl": "Wettelijke verplichting (AVG art. 6 lid 1 sub c)",
    },
    "A6-1-d": {
        "en": "Vital interests (GDPR Art. 6(1)(d))",
        "nl": "Vitale belangen (AVG art. 6 lid 1 sub d)",
    },
    "A6-1-e": {
        "en": "Public task (GDPR Art. 6(1)(e))",
        "nl": "Algemeen belang of openbaar gezag (AVG art. 6 lid 1 sub e)",
    },
    "A6-1-f": {
        "en": "Legitimate interests (GDPR Art. 6(1)(f))",
        "nl": "Gerechtvaardigd belang (AVG art. 6 lid 1 sub f)",
    },
}


class SourceError(Exception):
    """The reference data no longer matches what this script expects."""


# --- reading ------------------------------------------------------------------------


def _graph(*paths: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        if not path.is_file():
            raise SourceError(f"missing reference file: {path}")
        graph.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    return graph


def _provenance(reference: Path, relpath: str) -> str:
    """``owner/repo@commit:path`` of a reference file, from the reference MANIFEST."""
    with (reference / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["path"] == relpath:
                commit = row["upstream_commit"][:12]
                return f"{row['upstream_repo']}@{commit}:{row['upstream_path']}"
    raise SourceError(f"{relpath} is not listed in {reference / 'MANIFEST.tsv'}")


def _capitalised(text: str) -> str:
    # EU tables mix "daily" and "Economy and finance"; a form wants one style.
    return text[:1].upper() + text[1:]


def _pref_labels(graph: rdflib.Graph, subject: rdflib.term.Node) -> dict[str, str]:
    labels: dict[str, str] = {}
    for lang in ("en", "nl"):
        found = sorted(
            str(o) for o in graph.objects(subject, SKOS.prefLabel)
            if isinstance(o, rdflib.Literal) and o.language == lang
        )
        if found:
            labels[lang] = _capitalised(found[0])
    return labels


def _is_current(graph: rdflib.Graph, concept: rdflib.term.Node) -> bool:
    deprecated = str(graph.value(concept, AT.deprecated) or "false") == "true"
    status = str(graph.value(concept, EUVOC.status) or "")
    ended = graph.value(concept, AT["end.use"]) is not None
    return not (deprecated or ended or status.endswith("/DEPRECATED"))


def _eu_table(reference: Path, filename: str,
              ) -> tuple[rdflib.Graph, rdflib.term.Node, dict[str, Any]]:
    """Graph, concept scheme and code -> concept for the current concepts of a table."""
    graph = _graph(reference / "vocabularies" / "eu-op" / filename)
    scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = {
        str(concept).rsplit("/", 1)[1]: concept
        for concept in graph.subjects(SKOS.inScheme, scheme)
        if (concept, RDF.type, SKOS.Concept) in graph and _is_current(graph, concept)
    }
    concepts.pop(OP_PROVISIONAL, None)
    return graph, scheme, concepts


def _pick(available: Mapping[str, Any], wanted: Iterable[str], table: str) -> list[str]:
    """``wanted`` as a list, failing loudly when the table no longer has one of them."""
    codes = list(wanted)
    missing = [code for code in codes if code not in available]
    if missing:
        raise SourceError(f"{table}: no current concept for {', '.join(missing)}")
    return codes


# --- vocabularies -------------------------------------------------------------------


def _vocabulary(name: str, source: str, licence: str, version: str,
                concepts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "source": source, "licence": licence, "version": version,
            "concepts": concepts}


def _concept(code: str, en: str, nl: str, uri: str | None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "label": {"en": en, "nl": nl}, "uri": uri, **extra}


def _eu_vocabulary(reference: Path, name: str, filename: str, first: Iterable[str] = (),
                   rest: bool = True, nl_labels: Mapping[str, str] | None = None,
                   ) -> dict[str, Any]:
    """An EU table as a vocabulary: the ``first`` codes in that order, then (if ``rest``)
    every other current code sorted. nl falls back to ``nl_labels``, then to en."""
    graph, scheme, concepts = _eu_table(reference, filename)
    codes = _pick(concepts, first, filename)
    if rest:
        codes += sorted(set(concepts) - set(codes))
    result = []
    for code in codes:
        labels = _pref_labels(graph, concepts[code])
        en = labels.get("en", code)
        nl = labels.get("nl") or (nl_labels or {}).get(code) or en
        result.append(_concept(code, en, nl, str(concepts[code])))
    version = str(graph.value(scheme, AT["table.version.number"]))
    source = (f"EU Publications Office authority table {graph.value(scheme, AT['table.id'])} "
              f"{version} "
              f"({_provenance(reference, 'vocabularies/eu-op/' + filename)})")
    return _vocabulary(name, source, EU_LICENCE, version, result)


def build_access_level(reference: Path) -> dict[str, Any]:
    data = _eu_vocabulary(reference, "access_level", "access-right-skos.rdf",
                          first=[eu for eu, _nl in ACCESS_LEVELS.values()], rest=False,
                          nl_labels=dict(ACCESS_LEVELS.values()))
    # Our stored codes are lower-case; the EU code stays in the URI.
    for concept, code in zip(data["concepts"], ACCESS_LEVELS, strict=True):
        concept["code"] = code
    data["licence"] += f" Dutch labels {OURS}."
    return data


def _donl_reasons(reference: Path) -> dict[str, tuple[str, str]]:
    """DONL access-rights code -> (our access_level code, term URI) per non-public reason.

    The code is the name the taxonomy lists and the term file is named after. The term
    inside a file may carry another URI (CONFIDENTIAL.ttl defines .../VERTROUWELIJK), so
    the URI is read from the file and kept as an alias.
    """
    donl = reference / "vocabularies" / "dcat-ap-donl"
    listed = {str(term).removeprefix(DONL_TERM)
              for term in _graph(donl / "taxonomy" / "access-rights.ttl")
              .objects(None, SKOS.hasTopConcept)}
    levels = {EU_AUTHORITY + "access-right/" + eu: code
              for code, (eu, _nl) in ACCESS_LEVELS.items()}
    reasons = {}
    for path in sorted((donl / "term" / "access-rights").glob("*.ttl")):
        graph = _graph(path)
        term = next(graph.subjects(RDF.type, SKOS.Concept))
        broader = graph.value(term, SKOS.broader)
        if str(broader) not in levels and broader is not None:
            raise SourceError(f"{path.name}: broader {broader} is no EU access right")
        # PUBLIEK (no broader) is an access level, not a reason for withholding data.
        if broader is not None and levels[str(broader)] != "public":
            reasons[path.stem] = (levels[str(broader)], str(term))
    if not set(reasons) <= listed:
        raise SourceError(f"DONL term files not in the taxonomy: {set(reasons) - listed}")
    return reasons


def build_access_reason(reference: Path) -> dict[str, Any]:
    reasons = _donl_reasons(reference)
    if set(reasons) != set(ACCESS_REASONS):
        raise SourceError(
            "DONL access-rights reasons changed: new "
            f"{sorted(set(reasons) - set(ACCESS_REASONS))}, gone "
            f"{sorted(set(ACCESS_REASONS) - set(reasons))}; update ACCESS_REASONS"
        )
    concepts = []
    for code in sorted(reasons):
        level, term_uri = reasons[code]
        labels = ACCESS_REASONS[code]
        concept = _concept(code, labels["en"], labels["nl"], DONL_TERM + code,
                           access_level=level)
        if term_uri != concept["uri"]:
            concept["alt_uris"] = [term_uri]
        concepts.append(concept)
    source = ("Codes and implied EU access rights (skos:broader) from the DCAT-AP-DONL 2.0 "
              "access-rights taxonomy ("
              + _provenance(reference, "vocabularies/dcat-ap-donl/taxonomy/access-rights.ttl")
              + "); labels are not taken from it.")
    licence = f"DONL states no licence, so only its identifiers are used. Labels {OURS}."
    return _vocabulary("access_reason", source, licence, "DCAT-AP-DONL 2.0", concepts)


def build_theme(reference: Path) -> dict[str, Any]:
    return _eu_vocabulary(reference, "theme", "data-theme-skos.rdf")


def build_frequency(reference: Path) -> dict[str, Any]:
    return _eu_vocabulary(reference, "frequency", "frequencies-skos.rdf", FREQUENCY_ORDER)


def build_file_type(reference: Path) -> dict[str, Any]:
    return _eu_vocabulary(reference, "file_type", "filetypes-skos.rdf", FILE_TYPES,
                          rest=False)


def build_purpose(reference: Path) -> dict[str, Any]:
    graph = _graph(reference / DPV_PURPOSES)
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    concepts = []
    for code in sorted(PURPOSES_NL):
        term = DPV[code]
        if (term, RDF.type, DPV.Purpose) not in graph:
            raise SourceError(f"{DPV_PURPOSES}: dpv:{code} is not a dpv:Purpose")
        en = str(graph.value(term, SKOS.prefLabel))
        concepts.append(_concept(code, en, PURPOSES_NL[code], str(term)))
    version = str(graph.value(ontology, OWL.versionInfo))
    source = (f"W3C Data Privacy Vocabulary (DPV) {version}, purposes module "
              f"({_provenance(reference, DPV_PURPOSES)}); nl labels added by ckanext-retailarea.")
    licence = (f"{_dpv_copyright(graph)}, W3C Software and Document License 2023 "
               f"(https://www.w3.org/copyright/software-license-2023/); see {DPV_NOTICE}.")
    return _vocabulary("purpose", source, licence, version, concepts)


def _dpv_copyright(graph: rdflib.Graph) -> str:
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    first = str(graph.value(ontology, DCTERMS.issued))[:4]
    last = str(graph.value(ontology, DCTERMS.modified))[:4]
    return f"Copyright © {first}-{last} World Wide Web Consortium"


def build_legal_basis(_reference: Path) -> dict[str, Any]:
    concepts = [_concept(code, labels["en"], labels["nl"], DPV_GDPR + code)
                for code, labels in LEGAL_BASES.items()]
    source = ("GDPR (Regulation (EU) 2016/679) Art. 6(1); identifiers of the DPV GDPR "
              "extension (https://w3id.org/dpv/legal/eu/gdpr).")
    return _vocabulary("legal_basis", source, f"Labels {OURS}.", "GDPR 2016/679", concepts)


BUILDERS = {
    "access_level": build_access_level,
    "access_reason": build_access_reason,
    "file_type": build_file_type,
    "frequency": build_frequency,
    "legal_basis": build_legal_basis,
    "purpose": build_purpose,
    "theme": build_theme,
}


# --- writing ------------------------------------------------------------------------


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def _write_dpv_notice(reference: Path, out: Path) -> Path:
    """The W3C licence asks for its NOTICE and a change note on every copy."""
    graph = _graph(reference / DPV_PURPOSES)
    licence = (reference / "vocabularies" / "dpv" / "LICENSE.md").read_text(encoding="utf-8")
    header = (
        "# Data Privacy Vocabulary (DPV) notice\n\n"
        "`purpose.json` (and the GDPR identifiers in `legal_basis.json`) include material "
        "derived from the Data Privacy Vocabulary (DPV) 2.3, https://w3id.org/dpv, "
        f"{_dpv_copyright(graph)}. "
        "<https://www.w3.org/copyright/software-license-2023/>\n\n"
        "Changes: a subset of the purposes module, reduced to code, English label and IRI; "
        "Dutch labels added by ckanext-retailarea.\n\n"
        "The licence of the DPV repository follows unchanged.\n\n---\n\n"
    )
    path = out / DPV_NOTICE
    path.write_text(header + licence, encoding="utf-8")
    return path


def build(reference: Path = DEFAULT_REFERENCE, out: Path = DEFAULT_OUT) -> list[Path]:
    """Write every vocabulary and the DPV notice into ``out``; return the files written."""
    reference = Path(reference).resolve()
    if not reference.is_dir():
        raise SourceError(f"reference directory not found: {reference}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        path = out / f"{name}.json"
        _write_json(path, builder(reference))
        written.append(path)
    written.append(_write_dpv_notice(reference, out))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE,
                        help="shared reference directory (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        written = build(args.reference, args.out)
    except SourceError as exc:
        print(f"build-vocabularies: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
