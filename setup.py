"""ckanext-retailarea: the open-data platform of a shopping area, as a CKAN extension."""
from setuptools import find_namespace_packages, setup

# The top-level schemas/ folder ships inside the package as ckanext.retailarea.schemas,
# so `ckanext.retailarea.schemas:group_retail_area.yaml` resolves in editable and wheel
# installs alike.
SCHEMA_PACKAGES = {"ckanext.retailarea.schemas": "schemas"}

setup(
    name="ckanext-retailarea",
    version="0.1.0",
    description="Shared open-data platform of a shopping area (winkelgebied) on CKAN",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11,<3.12",
    packages=find_namespace_packages(include=["ckanext.*"]) + list(SCHEMA_PACKAGES),
    package_dir=SCHEMA_PACKAGES,
    package_data={
        "ckanext.retailarea": [
            "config_declaration.yaml",
            "templates/**/*.html",
            "metadata/templates/**/*.html",
            "metadata/config_declaration.yaml",
            "i18n/*/LC_MESSAGES/*.po",
            "i18n/*/LC_MESSAGES/*.mo",
            "migration/retailarea/*.ini",
            "migration/retailarea/*.mako",
            "migration/retailarea/*.py",
            "migration/retailarea/versions/*.py",
            "assets/*.yml",
            "assets/js/*.js",
            "assets/css/*.css",
            "assets/vendor/*",
            "assets/vendor/leaflet/*",
            "assets/vendor/leaflet/images/*",
            "vocab/data/*.json",
            "dcat/profiles/shacl/*.md",
            "dcat/profiles/shacl/*/*.ttl",
            "dcat/profiles/shacl/*/*.rdf",
            "vocab/data/*.md",
        ],
        "ckanext.retailarea.schemas": ["*.yaml", "*.json", "fields/*.yaml", "tables/*.json"],
    },
    include_package_data=False,
    # Both maintained CKAN lines; the exact versions of each line are pinned in
    # constraints/ckan-2.12.txt and constraints/ckan-2.11.txt (pip install -c). Libraries
    # CKAN itself pins (psycopg2, click, requests, nh3) take a range here that holds both
    # lines' pins; every other one is pinned exactly.
    install_requires=[
        "ckan[requirements]>=2.11.6,<2.13",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "ckanext-harvest==1.6.3",
        "pysolr==3.11.0",
        "psycopg2>=2.9.11,<2.10",
        "click>=8.1.7,<9",
        "requests>=2.33.0,<3",
        "rdflib==7.6.0",
        "gunicorn==23.0.0",
        "frictionless==5.21.0",
        "openpyxl==3.1.5",
        "shapely==2.2.0",
        "isodate==0.7.2",
        "nh3>=0.3.6,<0.4",
        "pyshacl==0.40.1",
        "defusedxml==0.7.1",
        "pyoxigraph==0.5.13",
        "ijson==3.6.0",
        "honcho==2.0.0",
        "opening-hours-py==2.1.4",
    ],
    extras_require={
        "test": [
            "pytest==9.2.0",
            "pytest-factoryboy==2.8.1",
            "factory-boy==3.3.3",
            "Faker==40.63.0",
            "pytest-cov==7.1.0",
            "ruff==0.17.6",
            "playwright==1.65.2",
            "hypothesis==6.170.27",
        ],
        # the type checker, run on the default CKAN line only: types-lxml needs a newer
        # typing_extensions than CKAN 2.11 pins
        "types": [
            "basedpyright==1.40.2",
            "types-lxml==2026.2.16",
            "jsonschema==4.26.0",
        ],
    },
    entry_points={
        "ckan.plugins": [
            "retailarea = ckanext.retailarea.plugin:RetailAreaPlugin",
            "retailarea_datasets = ckanext.retailarea.plugin:RetailAreaDatasetsPlugin",
            "retailarea_schemas = ckanext.retailarea.metadata.plugin:RetailAreaSchemasPlugin",
            "retailarea_tables = ckanext.retailarea.plugin:RetailAreaTablesPlugin",
            "retailarea_access = ckanext.retailarea.plugin:RetailAreaAccessPlugin",
            "retailarea_dcat = ckanext.retailarea.plugin:RetailAreaDCATPlugin",
            "retailarea_footfall = ckanext.retailarea.plugin:RetailAreaFootfallPlugin",
            "retailarea_insights = ckanext.retailarea.plugin:RetailAreaInsightsPlugin",
            "retailarea_ods_harvester = ckanext.retailarea.harvesters.ods:OdsHarvester",
            "retailarea_socrata_harvester = ckanext.retailarea.harvesters.socrata:SocrataHarvester",
            "retailarea_cbs_odata_harvester = ckanext.retailarea.harvesters.cbs_odata:CbsODataHarvester",
            "retailarea_dcat_rdf_harvester = ckanext.retailarea.harvesters.dcat:RetailAreaDCATRDFHarvester",
            "retailarea_dcat_json_harvester = ckanext.retailarea.harvesters.dcat_json:RetailAreaDCATJSONHarvester",
            "retailarea_ckan_harvester = ckanext.retailarea.harvesters.ckan:RetailAreaCKANHarvester",
            "retailarea_spdp_harvester = ckanext.retailarea.harvesters.spdp:SpdpHarvester",
            "retailarea_live = ckanext.retailarea.live.plugin:RetailAreaLivePlugin",
        ],
        "ckan.rdf.profiles": [
            "retailarea_dcat_ap_nl = ckanext.retailarea.dcat.profiles:RetailAreaDCATAPNLProfile",
        ],
    },
)
