"""Base URL validation: HTTPS, or HTTP to loopback only."""

from __future__ import annotations

import pytest

from esimfly_desktop.api import Credentials, EsimflyClient, InsecureBaseUrlError
from esimfly_desktop.api.base_url import validate_base_url


@pytest.mark.parametrize(
    "url",
    [
        "https://esimfly.net/api/v1/business",
        "http://127.0.0.1:8080/api/v1/business",
        "http://127.5.6.7/api/v1/business",
        "http://localhost:9000/api/v1/business",
        "http://[::1]:9000/api/v1/business",
    ],
)
def test_accepted_base_urls(url: str) -> None:
    assert validate_base_url(url + "/") == url


@pytest.mark.parametrize(
    "url",
    [
        "http://esimfly.net/api/v1/business",
        "http://192.168.1.10/api/v1/business",
        "http://localhost.example.com/api",
        "http://128.0.0.1/api",
        "ftp://127.0.0.1/api",
        "https:///api",
    ],
)
def test_rejected_base_urls(url: str) -> None:
    with pytest.raises(InsecureBaseUrlError) as caught:
        validate_base_url(url)

    assert url in str(caught.value)


def test_client_rejects_plain_http_to_remote_host() -> None:
    with pytest.raises(InsecureBaseUrlError, match="https://"):
        EsimflyClient("http://esimfly.net/api/v1/business", Credentials("esf_x", "sk_x"))
