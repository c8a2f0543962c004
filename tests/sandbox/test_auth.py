"""Authentication: golden vectors and every failure in the contract's order."""

from __future__ import annotations

import time
import uuid

import pytest

from esimfly_desktop.sandbox import auth
from esimfly_desktop.sandbox.errors import SandboxApiError
from tests.sandbox.raw_api import RawApi, json_of

GOLDEN_TIMESTAMP = "1733300000000"
GOLDEN_REQUEST_ID = "2f1c3b7e-9a4d-4c1e-8f2a-6b5d4e3c2a10"
GOLDEN_ACCESS_CODE = "esf_demo_0001"
GOLDEN_SECRET = "sk_demo_secret_0001"
GOLDEN_BODY = b'{"packageCode":"CKH002","quantity":1}'
GOLDEN_POST_SIGNATURE = "D9B75D53334F80B5B502D18F3096CAE8D47C3B1B3B262C92971D3FDEB4495CB5"
GOLDEN_GET_SIGNATURE = "C2F28573BED9775793BE3287755510B035BD3CFD3B5DE449F7FF57E9DBAF5D6E"
UPSTREAM_SIGNATURE = "7EB765E27DF5373DEA2DBC8C41A7D9557743E46C8054750F3D851B3FD01D0835"


def test_golden_vectors_signature() -> None:
    post = auth.compute_signature(
        GOLDEN_SECRET, GOLDEN_TIMESTAMP, GOLDEN_REQUEST_ID, GOLDEN_ACCESS_CODE, GOLDEN_BODY
    )
    get = auth.compute_signature(
        GOLDEN_SECRET, GOLDEN_TIMESTAMP, GOLDEN_REQUEST_ID, GOLDEN_ACCESS_CODE, b""
    )
    upstream = auth.compute_signature(
        "1111", "1628670421", "4ce9d9cdac9e4e17b3a2c66c358c1ce2", "11111", b'{"imsi":"326543826"}'
    )

    assert post == GOLDEN_POST_SIGNATURE
    assert get == GOLDEN_GET_SIGNATURE
    assert upstream == UPSTREAM_SIGNATURE


def _golden_headers(signature: str) -> dict[str, str]:
    return {
        "RT-AccessCode": GOLDEN_ACCESS_CODE,
        "RT-RequestID": GOLDEN_REQUEST_ID,
        "RT-Timestamp": GOLDEN_TIMESTAMP,
        "RT-Signature": signature,
    }


@pytest.mark.parametrize("signature", [GOLDEN_POST_SIGNATURE, GOLDEN_POST_SIGNATURE.lower()])
def test_golden_vector_passes_checker(signature: str) -> None:
    signed = auth.authenticate(
        _golden_headers(signature),
        GOLDEN_BODY,
        int(GOLDEN_TIMESTAMP) + 1000,
        lambda code: GOLDEN_SECRET if code == GOLDEN_ACCESS_CODE else None,
        lambda request_id: True,
    )

    assert signed.access_code == GOLDEN_ACCESS_CODE


def test_checker_rejects_changed_body() -> None:
    with pytest.raises(SandboxApiError) as caught:
        auth.authenticate(
            _golden_headers(GOLDEN_POST_SIGNATURE),
            b'{"packageCode":"CKH002","quantity":2}',
            int(GOLDEN_TIMESTAMP),
            lambda code: GOLDEN_SECRET,
            lambda request_id: True,
        )

    assert caught.value.code == "INVALID_SIGNATURE"


def _error(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, json_of(response).get("code")


def test_missing_header_hmac_required(api: RawApi) -> None:
    for header in ("access_code", "request_id", "timestamp", "signature"):
        response = api.get("/balance", **{header: None})

        assert _error(response) == (401, "HMAC_REQUIRED"), header
        assert json_of(response)["success"] is False


def test_request_id_must_be_uuid4(api: RawApi) -> None:
    for request_id in ("not-a-uuid", uuid.uuid4().hex, str(uuid.uuid1())):
        response = api.get("/balance", request_id=request_id)

        assert _error(response) == (400, "INVALID_REQUEST_ID"), request_id


def test_timestamp_outside_window(api: RawApi) -> None:
    now_ms = int(time.time() * 1000)
    cases = [str(now_ms - 6 * 60 * 1000), str(now_ms + 6 * 60 * 1000), str(now_ms // 1000), "soon"]
    for timestamp in cases:
        response = api.get("/balance", timestamp=timestamp)

        assert _error(response) == (401, "INVALID_TIMESTAMP"), timestamp


def test_timestamp_inside_window(api: RawApi) -> None:
    response = api.get("/balance", timestamp=str(int(time.time() * 1000) - 4 * 60 * 1000))

    assert response.status_code == 200


def test_unknown_access_code(api: RawApi) -> None:
    response = api.get("/balance", access_code="esf_nobody")

    assert _error(response) == (401, "INVALID_API_KEY")


def test_wrong_signature(api: RawApi) -> None:
    wrong_secret = api.get("/balance", secret="sk_wrong")
    garbage = api.get("/balance", signature="00" * 32)

    assert _error(wrong_secret) == (401, "INVALID_SIGNATURE")
    assert _error(garbage) == (401, "INVALID_SIGNATURE")


def test_signature_case_insensitive(api: RawApi) -> None:
    headers = api.headers()
    headers["RT-Signature"] = headers["RT-Signature"].lower()

    response = api.http.get(api.base_url + "/balance", headers=headers)

    assert response.status_code == 200


def test_query_string_not_signed(api: RawApi) -> None:
    response = api.get("/esims/packages", {"limit": 1})

    assert response.status_code == 200


def test_replayed_request_id(api: RawApi) -> None:
    headers = api.headers()

    first = api.http.get(api.base_url + "/balance", headers=headers)
    replay = api.http.get(api.base_url + "/balance", headers=headers)

    assert first.status_code == 200
    assert _error(replay) == (400, "DUPLICATE_REQUEST")


def test_checks_run_in_contract_order(api: RawApi) -> None:
    stale = str(int(time.time() * 1000) - 3_600_000)

    # Each request breaks every check from one point on, so the first broken check sets the code.
    assert _error(api.get("/balance", request_id="x", timestamp=stale, signature=None))[1] == (
        "HMAC_REQUIRED"
    )
    assert _error(api.get("/balance", request_id="x", timestamp=stale))[1] == "INVALID_REQUEST_ID"
    assert _error(api.get("/balance", timestamp=stale, access_code="esf_x"))[1] == (
        "INVALID_TIMESTAMP"
    )
    assert _error(api.get("/balance", access_code="esf_x", signature="AB"))[1] == "INVALID_API_KEY"


def test_error_answers_carry_rate_headers(api: RawApi) -> None:
    response = api.get("/balance", signature="AB")

    assert "X-RateLimit-Limit" in response.headers
    assert "X-RateLimit-Remaining" in response.headers
    assert "X-RateLimit-Reset" in response.headers
    assert "Date" in response.headers
