"""The shared httpx.AsyncClient behind one EsimflyClient.

TLS is verified against the operating system's trust store through
truststore, so shops behind an inspecting proxy with a locally installed
root certificate work. ``trust_env`` keeps the HTTP(S)_PROXY and NO_PROXY
environment variables in force, except for a loopback base URL: a proxy
cannot reach this machine's sandbox, and its traffic would leave the machine.
"""

from __future__ import annotations

import ssl

import httpx
import truststore

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 30.0
WRITE_TIMEOUT_S = 10.0
POOL_TIMEOUT_S = 10.0

MAX_CONNECTIONS = 10
MAX_KEEPALIVE_CONNECTIONS = 5
KEEPALIVE_EXPIRY_S = 30.0

TIMEOUTS = httpx.Timeout(
    connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S, write=WRITE_TIMEOUT_S, pool=POOL_TIMEOUT_S
)
LIMITS = httpx.Limits(
    max_connections=MAX_CONNECTIONS,
    max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS,
    keepalive_expiry=KEEPALIVE_EXPIRY_S,
)


def system_trust_context() -> ssl.SSLContext:
    """Return a TLS client context that verifies with the OS trust store."""
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def build_http_client(
    transport: httpx.AsyncBaseTransport | None = None, *, use_proxy_environment: bool = True
) -> httpx.AsyncClient:
    """Return a client with the API's timeouts and limits; ``transport`` replaces the network.

    With ``use_proxy_environment`` False the client ignores the proxy
    variables and connects directly.
    """
    if transport is not None:
        return httpx.AsyncClient(timeout=TIMEOUTS, limits=LIMITS, transport=transport)
    return httpx.AsyncClient(
        timeout=TIMEOUTS,
        limits=LIMITS,
        verify=system_trust_context(),
        trust_env=use_proxy_environment,
    )
