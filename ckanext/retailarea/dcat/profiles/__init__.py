"""DCAT-AP-NL 3.0 export and import of retail-area datasets (ckanext-dcat RDF profile) and
SHACL validation of the result against the shapes shipped in ``shacl/``."""
from __future__ import annotations

from ckanext.retailarea.dcat.profiles.dcat_ap_nl import RetailAreaDCATAPNLProfile

__all__ = ["RetailAreaDCATAPNLProfile"]
