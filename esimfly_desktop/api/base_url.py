"""Validation of the API base URL: HTTPS, or plain HTTP to a loopback address only."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from esimfly_desktop.api.errors import InsecureBaseUrlError

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback_host(host: str) -> bool:
    """Return True for ``localhost``, 127.0.0.0/8 and ::1."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(base_url: str) -> str:
    """Return ``base_url`` without a trailing slash, or raise InsecureBaseUrlError.

    The check reads only the URL text and resolves no name, so a host name that
    happens to resolve to loopback still needs HTTPS.
    """
    parts = urlsplit(base_url.strip())
    host = parts.hostname or ""
    if not host:
        raise InsecureBaseUrlError(base_url, "the URL has no host name")
    if parts.scheme == "https":
        return base_url.strip().rstrip("/")
    if parts.scheme != "http":
        raise InsecureBaseUrlError(base_url, "use an https:// URL")
    if not is_loopback_host(host):
        raise InsecureBaseUrlError(
            base_url,
            "plain http:// would send the access code and signed requests unencrypted; "
            "use https://, or http:// only for a loopback address such as the sandbox",
        )
    return base_url.strip().rstrip("/")
