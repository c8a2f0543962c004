"""Request signing against the contract's golden vectors."""

from __future__ import annotations

import uuid

import pytest

from esimfly_desktop.api.request_body import encode_body
from esimfly_desktop.api.signing import (
    Credentials,
    compute_signature,
    mask_access_code,
    new_request_id,
    signed_headers,
)

ORDER_BODY = b'{"packageCode":"CKH002","quantity":1}'


def test_golden_vector_with_body() -> None:
    signature = compute_signature(
        "sk_demo_secret_0001",
        "1733300000000",
        "2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10",
        "esf_demo_0001",
        ORDER_BODY,
    )

    assert signature == "D9B75D53334F80B5B502D18F3096CAE8D47C3B1B3B262C92971D3FDEB4495CB5"


def test_golden_vector_with_empty_body() -> None:
    signature = compute_signature(
        "sk_demo_secret_0001",
        "1733300000000",
        "2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10",
        "esf_demo_0001",
        b"",
    )

    assert signature == "C2F28573BED9775793BE3287755510B035BD3CFD3B5DE449F7FF57E9DBAF5D6E"


def test_upstream_example_vector() -> None:
    # The upstream provider's example: hyphenless request id, timestamp in seconds.
    signature = compute_signature(
        "1111", "1628670421", "4ce9d9cdac9e4e17b3a2c66c358c1ce2", "11111", b'{"imsi":"326543826"}'
    )

    assert signature == "7EB765E27DF5373DEA2DBC8C41A7D9557743E46C8054750F3D851B3FD01D0835"


def test_signed_headers_match_golden_vector() -> None:
    credentials = Credentials("esf_demo_0001", "sk_demo_secret_0001")

    headers = signed_headers(
        credentials,
        timestamp_ms=1733300000000,
        request_id="2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10",
        body=ORDER_BODY,
    )

    assert headers["RT-AccessCode"] == "esf_demo_0001"
    assert headers["RT-RequestID"] == "2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10"
    assert headers["RT-Timestamp"] == "1733300000000"
    assert headers["RT-Signature"] == (
        "D9B75D53334F80B5B502D18F3096CAE8D47C3B1B3B262C92971D3FDEB4495CB5"
    )


def test_encoded_order_body_matches_golden_bytes() -> None:
    assert encode_body({"packageCode": "CKH002", "quantity": 1}) == ORDER_BODY


def test_request_ids_are_fresh_uuid4() -> None:
    first, second = new_request_id(), new_request_id()

    assert first != second
    assert uuid.UUID(first).version == 4
    assert str(uuid.UUID(first)) == first


def test_credentials_repr_hides_secret() -> None:
    credentials = Credentials("esf_live_abcdef1234", "sk_live_topsecret")

    assert "sk_live_topsecret" not in repr(credentials)
    assert "abcdef" not in repr(credentials)
    assert "1234" in repr(credentials)


@pytest.mark.parametrize(
    ("access_code", "masked"),
    [
        ("esf_live_abcdef1234", "esf_…1234"),
        ("esf_demo_0001", "esf_…0001"),
        ("esf_1", "esf_…"),
        ("plaincode123456", "…3456"),
    ],
)
def test_mask_access_code(access_code: str, masked: str) -> None:
    assert mask_access_code(access_code) == masked
