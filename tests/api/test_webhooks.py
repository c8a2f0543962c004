"""Webhook signature verification on the raw body."""

from __future__ import annotations

import hashlib
import hmac

from esimfly_desktop.api.webhooks import verify_webhook_signature

SECRET = "whsec_test_0001"
BODY = b'{"event":"esim.installed","timestamp":"2026-12-04T10:00:00Z","data":{"iccid":"891"}}'


def header_for(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_valid_signature_accepted() -> None:
    assert verify_webhook_signature(SECRET, BODY, header_for(BODY))


def test_reserialised_body_rejected() -> None:
    reformatted = BODY.replace(b",", b", ")

    assert not verify_webhook_signature(SECRET, reformatted, header_for(BODY))


def test_wrong_secret_rejected() -> None:
    assert not verify_webhook_signature(SECRET, BODY, header_for(BODY, "whsec_other"))


def test_missing_or_malformed_header_rejected() -> None:
    digest = header_for(BODY).removeprefix("sha256=")

    assert not verify_webhook_signature(SECRET, BODY, None)
    assert not verify_webhook_signature(SECRET, BODY, "")
    assert not verify_webhook_signature(SECRET, BODY, digest)
    assert not verify_webhook_signature(SECRET, BODY, "sha1=" + digest)
    assert not verify_webhook_signature(SECRET, BODY, "sha256=é" + digest)
