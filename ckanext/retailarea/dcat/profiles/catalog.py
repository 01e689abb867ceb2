"""What DCAT-AP-NL 3.0 requires of the catalog beyond euro_dcat_ap_3's description.

DCAT-AP wants a description and exactly one publisher; DCAT-AP-NL exactly one contact
point and recommends a creator; both want dct:language as an EU language URI
(euro_dcat_ap_3 writes the locale as a literal) and the homepage typed as a foaf:Document.
The publisher and contact come from ``ckanext.retailarea.dcat.publisher_name``,
``.publisher_uri`` and ``.contact_email``, else from the site title and URL.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, RDF, SKOS, VCARD, CleanedURIRef
from rdflib import Graph, Literal, URIRef

from ckanext.retailarea.dcat.profiles import mapping, services
from ckanext.retailarea.dcat.profiles.serialize import PREFIXES, contact_email, site_url


def _setting(key: str, fallback: str | None = None) -> str | None:
    return tk.config.get(f"ckanext.retailarea.dcat.{key}") or fallback


def describe(g: Graph, catalog_dict: dict[str, Any] | None, ref: URIRef) -> None:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    title = tk.config.get("ckan.site_title") or site_url()
    if g.value(ref, DCT.description) is None:
        g.add((ref, DCT.description, Literal(title)))
    _languages(g, ref)
    for homepage in g.objects(ref, FOAF.homepage):
        g.add((homepage, RDF.type, FOAF.Document))
    publisher = _publisher(g, ref, title)
    if g.value(ref, DCT.creator) is None:
        g.add((ref, DCT.creator, publisher))
    services.describe(g, ref, publisher, _contact_point(g, ref, publisher))
    scheme = mapping.EU_DATA_THEME_SCHEME
    g.add((ref, DCAT.themeTaxonomy, scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCT.title, Literal("Data theme", lang="en")))


def _languages(g: Graph, ref: URIRef) -> None:
    g.remove((ref, DCT.language, None))
    offered = tk.aslist(tk.config.get("ckan.locales_offered")) or [
        tk.config.get("ckan.locale_default") or "en"
    ]
    for locale in offered:
        uri = mapping.language_uri(str(locale).split("_")[0])
        if uri is not None:
            g.add((ref, DCT.language, uri))
            g.add((uri, RDF.type, DCT.LinguisticSystem))


def _publisher(g: Graph, ref: URIRef, title: str) -> URIRef:
    g.remove((ref, DCT.publisher, None))
    publisher = CleanedURIRef(_setting("publisher_uri", f"{ref}#publisher"))
    g.add((ref, DCT.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(_setting("publisher_name", title))))
    return publisher


def _contact_point(g: Graph, ref: URIRef, publisher: URIRef) -> URIRef:
    g.remove((ref, DCAT.contactPoint, None))
    contact = URIRef(f"{ref}#contact")
    g.add((ref, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    name = g.value(publisher, FOAF.name)
    if name is not None:
        g.add((contact, VCARD.fn, name))
    g.add((contact, VCARD.hasURL, URIRef(site_url() or str(ref))))
    email = contact_email()
    if email:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + email.removeprefix("mailto:"))))
    return contact
