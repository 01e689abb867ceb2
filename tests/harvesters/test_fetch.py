"""The safe fetcher on its own: schemes, addresses, redirects, limits."""
from __future__ import annotations

import pytest

from ckanext.retailarea.harvesters import http
from tests.harvesters.server import Reply

LIMITS = http.Limits(connect_timeout=2, read_timeout=2, total_timeout=5,
                     max_bytes=1024 * 1024, max_redirects=3, allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x",
                                 "gopher://127.0.0.1/", "http:///nohost"])
def test_only_http_and_https(url):
    with pytest.raises(http.FetchError, match="only http and https|no host"):
        http.fetch(url, limits=LIMITS)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/",
                                 "http://[fe80::1]/", "http://0.0.0.0:80/",
                                 "http://224.0.0.1/", "http://[::ffff:169.254.169.254]/"])
def test_link_local_multicast_and_unspecified_never(url):
    with pytest.raises(http.FetchError, match="is never harvested"):
        http.fetch(url, limits=LIMITS)


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost/", "http://[::1]/",
                                 "http://10.1.2.3/", "http://192.168.1.1/",
                                 "http://172.16.0.1/"])
def test_private_and_loopback_only_when_configured(url):
    closed = http.Limits(**{**LIMITS.__dict__, "allow_private": False})
    with pytest.raises(http.FetchError, match="private or loopback"):
        http.fetch(url, limits=closed)


def test_reads_a_page(catalog_server):
    url = catalog_server.route("/ok", Reply(b'{"a": 1}', content_type="application/json; "
                                                                  "charset=utf-8"))
    page = http.fetch(url, limits=LIMITS)
    assert (page.status, page.content_type, page.charset, page.text()) == (
        200, "application/json", "utf-8", '{"a": 1}')


def test_redirects_are_followed_and_each_hop_checked(catalog_server):
    target = catalog_server.route("/target", Reply(b"here"))
    catalog_server.route("/hop", Reply(status=302, headers={"Location": "/target"}))
    assert http.fetch(catalog_server.url("/hop"), limits=LIMITS).url == target

    for bad in ("http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:1/",
                "file:///etc/passwd"):
        catalog_server.route("/evil", Reply(status=301, headers={"Location": bad}))
        with pytest.raises(http.FetchError, match="never harvested|only http"):
            http.fetch(catalog_server.url("/evil"), limits=LIMITS)


def test_a_redirect_to_loopback_is_refused_when_private_addresses_are_not_allowed(
        catalog_server):
    """The first hop is allowed here only because the test serves it on loopback; a
    redirect to another loopback address is checked again, with the same rule."""
    catalog_server.route("/evil", Reply(status=302,
                                        headers={"Location": "http://127.0.0.2:9/admin"}))
    first_hop_only = _AllowOnce(catalog_server.url("/evil"))
    with pytest.raises(http.FetchError, match="127.0.0.2 is private or loopback"):
        first_hop_only.fetch()


class _AllowOnce:
    """Fetches with private addresses allowed for the first hop only."""

    def __init__(self, url):
        self.url = url

    def fetch(self):
        real, calls = http.check_url, []

        def check(url, allow_private):
            calls.append(url)
            return real(url, allow_private and len(calls) == 1)

        http.check_url = check
        try:
            return http.fetch(self.url, limits=LIMITS)
        finally:
            http.check_url = real


def test_too_many_redirects(catalog_server):
    catalog_server.route("/loop", Reply(status=302, headers={"Location": "/loop"}))
    with pytest.raises(http.FetchError, match="more than 3 redirects"):
        http.fetch(catalog_server.url("/loop"), limits=LIMITS)


def test_http_errors_name_the_status(catalog_server):
    url = catalog_server.route("/gone", Reply(b"gone", 410, "text/plain"))
    with pytest.raises(http.FetchError, match="answered HTTP 410"):
        http.fetch(url, limits=LIMITS)


def test_connection_refused(catalog_server):
    with pytest.raises(http.FetchError, match="could not connect"):
        http.fetch("http://127.0.0.1:9/", limits=LIMITS)


@pytest.mark.parametrize("url", [
    "http://[64:ff9b::a9fe:a9fe]/",       # NAT64 of 169.254.169.254
    "http://[64:ff9b:1::7f00:1]/",        # local-use NAT64
    "http://[2002:7f00:1::1]/",           # 6to4 of 127.0.0.1
    "http://[2001:0:4136:e378::1]/",      # Teredo
    "http://192.0.0.8/", "http://192.0.0.170/",  # IETF protocol assignments
    "http://[::7f00:1]/",                 # IPv4-compatible ::127.0.0.1
])
def test_translation_and_protocol_ranges_never(url):
    """Python calls some of these global; each can reach a host that is not."""
    with pytest.raises(http.FetchError, match="is never harvested"):
        http.check_url(url, allow_private=True)
