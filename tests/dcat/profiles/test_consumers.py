"""Licence titles in both languages wherever the DCAT is kept: in a request of either
language, and where no request chooses a locale (``ckan retailarea dcat rebuild`` and
background jobs, which the upgrade from CKAN 2.11 runs; tests/upgrade)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from ckanext.retailarea.dcat.profiles import consumers

NOT_SPECIFIED = {"en": "License not specified", "nl": "Licentie is niet gespecificeerd"}


def test_licence_titles_without_a_request():
    assert consumers.licence_titles("notspecified") == NOT_SPECIFIED


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_licence_titles_in_a_request_of_either_language(app, lang):
    with app.flask_app.test_request_context(), force_locale(lang):
        assert consumers.licence_titles("notspecified") == NOT_SPECIFIED


def test_a_licence_outside_the_default_register_has_no_titles():
    assert consumers.licence_titles("not-a-licence") == {}
