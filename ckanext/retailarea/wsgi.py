"""WSGI entry point for production-like runs: gunicorn ckanext.retailarea.wsgi:application
with CKAN_INI pointing at the site config."""
from __future__ import annotations

import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

application = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
