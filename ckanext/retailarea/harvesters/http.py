"""The one safe way our harvesters read a remote catalog page.

A harvest source URL is typed in by a steward and every next-page link or redirect comes
from the remote server, so each request is treated as hostile:

- only ``http`` and ``https``;
- the host is resolved and every address checked: loopback and private ranges only when
  ``ckanext.retailarea.harvest.allow_private_addresses`` is on, link-local (cloud metadata
  at 169.254.169.254), multicast, reserved and unspecified addresses never;
- the connection goes to the address that was checked (no second DNS lookup that a
  rebinding attacker could answer differently), with the original Host header and TLS
  server name;
- redirects are followed by hand, at most ``max_redirects``, each hop checked again;
- connect and read timeouts, plus a deadline for the whole response (a slow trickle that
  never trips the read timeout still ends);
- the body is counted while it streams (after decompression), with or without a
  Content-Length, and refused past ``max_mb``.
"""
from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ckanext.retailarea import config

SCHEMES = ("http", "https")
CHUNK_BYTES = 64 * 1024
USER_AGENT = "ckanext-retailarea harvester"
PRIVATE_NETWORKS = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
    "::1/128", "fc00::/7",
)]
# Python's is_global counts these as global, yet each leads to another address: NAT64
# (64:ff9b::/96 and the local-use /48), 6to4, Teredo, IPv4-compatible IPv6, and the IETF
# protocol assignments (192.0.0.0/24, where 192.0.0.9 and .10 are "global").
TRANSLATION_NETWORKS = [ipaddress.ip_network(n) for n in (
    "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::/96",
    "192.0.0.0/24",
)]


class FetchError(Exception):
    """A page could not be read safely; the message says why and names the URL."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_bytes: int
    max_redirects: int
    allow_private: bool

    @classmethod
    def from_config(cls) -> Limits:
        return cls(
            connect_timeout=config.harvest_connect_timeout(),
            read_timeout=config.harvest_read_timeout(),
            total_timeout=config.harvest_total_timeout(),
            max_bytes=config.harvest_max_bytes(),
            max_redirects=config.harvest_max_redirects(),
            allow_private=config.harvest_allow_private_addresses(),
        )


@dataclass(frozen=True)
class Page:
    """A fetched response: the final URL (after redirects), its media type and body."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes

    def text(self) -> str:
        """The body as text; bytes that are not valid in the declared charset (UTF-8 when
        none is declared) are an error, not silently replaced."""
        encoding = self.charset or "utf-8"
        try:
            return self.body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise FetchError(
                f"{self.url}: the response is not valid {encoding} text"
            ) from None


def check_url(url: str, allow_private: bool) -> tuple[str, int, list[str]]:
    """The host, port and the checked addresses of ``url``; FetchError when the scheme or
    any address the host resolves to is not allowed."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"{url}: only http and https URLs are harvested")
    host = parts.hostname
    if not host:
        raise FetchError(f"{url}: the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(f"{url}: the port is not a number") from None
    addresses = _resolve(url, host, port)
    for address in addresses:
        _check_address(url, address, allow_private)
    return host, port, addresses


def _resolve(url: str, host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: the host {host} could not be resolved ({error})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _check_address(url: str, text: str, allow_private: bool) -> None:
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    never = address.is_link_local or address.is_multicast or address.is_unspecified \
        or (not address.is_loopback and any(
            address in network for network in TRANSLATION_NETWORKS
            if network.version == address.version))
    if not never and address.is_global:
        return
    if not never and _private(address):
        if allow_private:
            return
        raise FetchError(
            f"{url}: the address {address} is private or loopback; set "
            "ckanext.retailarea.harvest.allow_private_addresses to harvest it"
        )
    raise FetchError(f"{url}: the address {address} is never harvested")


def _private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in PRIVATE_NETWORKS
               if network.version == address.version)


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address we checked while TLS still verifies the host name."""

    def __init__(self, hostname: str, tls: bool):
        self._hostname, self._tls = hostname, tls
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._tls:
            kwargs["server_hostname"] = self._hostname
            kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(*args, **kwargs)


def _pinned_url(url: str, address: str, port: int) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    return urlunsplit((parts.scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1]


def fetch(url: str, accept: str = "*/*", limits: Limits | None = None) -> Page:
    """GET ``url`` within the limits (from config unless given); FetchError otherwise."""
    limits = limits or Limits.from_config()
    deadline = time.monotonic() + limits.total_timeout
    current = url
    for _hop in range(limits.max_redirects + 1):
        with _session(current, limits) as (session, target, headers):
            response = _request(session, current, target, headers, accept, limits, deadline)
            with response:
                location = response.headers.get("Location")
                if not (response.is_redirect and location):
                    return _read(current, response, limits, deadline)
        current = urljoin(current, location)
    raise FetchError(f"{url}: more than {limits.max_redirects} redirects")


@contextlib.contextmanager
def _session(url: str, limits: Limits) -> Iterator[tuple[requests.Session, str, dict]]:
    """A session that connects to the checked address of ``url`` only, and that URL."""
    host, port, addresses = check_url(url, limits.allow_private)
    scheme = urlsplit(url).scheme.lower()
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: we connect where we checked
        session.mount(f"{scheme}://", _PinnedAdapter(host, tls=scheme == "https"))
        yield session, _pinned_url(url, addresses[0], port), {"Host": _host_header(url)}


def _request(session: requests.Session, url: str, target: str, headers: dict, accept: str,
             limits: Limits, deadline: float) -> requests.Response:
    try:
        return session.get(
            target, headers={**headers, "Accept": accept, "User-Agent": USER_AGENT},
            stream=True, allow_redirects=False,
            timeout=(limits.connect_timeout, _remaining(url, deadline, limits.read_timeout)),
        )
    except requests.Timeout:
        raise FetchError(f"{url}: the server did not answer in time") from None
    except requests.RequestException as error:
        raise FetchError(f"{url}: could not connect ({type(error).__name__})") from None


def _remaining(url: str, deadline: float, cap: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url}: the response took longer than allowed")
    return min(cap, left)


def _read(url: str, response: requests.Response, limits: Limits, deadline: float) -> Page:
    if response.is_redirect:
        raise FetchError(f"{url}: redirect without a Location")
    if not 200 <= response.status_code < 300:
        raise FetchError(f"{url}: the server answered HTTP {response.status_code}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"{url}: the response is larger than {limits.max_bytes} bytes")
    chunks, size = [], 0
    try:
        # read1 returns whatever arrived, so the deadline is checked between small reads
        # even when a server trickles one byte at a time.
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(f"{url}: the response is larger than {limits.max_bytes} bytes")
            _remaining(url, deadline, limits.read_timeout)
            chunks.append(chunk)
    except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
        raise FetchError(f"{url}: the response broke off ({type(error).__name__})") from None
    media_type, charset = _content_type(response.headers.get("Content-Type", ""))
    return Page(url=url, status=response.status_code, content_type=media_type,
                charset=charset, body=b"".join(chunks))


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return media_type.strip().lower(), charset
