"""Without Chromium the browser tests fail with the fix, instead of being skipped."""
from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM, require_chromium


def test_missing_chromium_fails_with_the_apt_get_line(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        require_chromium(str(tmp_path / "chromium"))


def test_the_configured_chromium_is_there():
    require_chromium(CHROMIUM)  # /usr/bin/chromium unless RETAILAREA_CHROMIUM says otherwise
