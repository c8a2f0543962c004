"""Identifiers of a new eSIM: ICCID with Luhn check digit, LPA string, QR code, install links."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache

import segno

APPLE_INSTALL_URL = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={lpa}"
ANDROID_INSTALL_URL = "https://esimsetup.android.com/esim_qrcode_provisioning?carddata={lpa}"
MATCHING_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
# The ".test" top-level domain is reserved, so no phone reaches a real SM-DP+ server.
SMDP_ADDRESS = "rsp.{slug}.sandbox.test"


def luhn_check_digit(digits: str) -> str:
    """Return the digit that makes ``digits`` + it pass the Luhn check."""
    total = 0
    for index, character in enumerate(reversed(digits)):
        value = int(character)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def new_iccid(issuer: str) -> str:
    """Return a 20-digit ICCID: 89, a 5-digit issuer, 12 random digits, the check digit."""
    body = (
        "89" + issuer[:5].rjust(5, "0") + "".join(secrets.choice("0123456789") for _ in range(12))
    )
    return body + luhn_check_digit(body)


def new_matching_id() -> str:
    groups = ["".join(secrets.choice(MATCHING_ID_ALPHABET) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


def smdp_address(provider: str) -> str:
    return SMDP_ADDRESS.format(slug=re.sub(r"[^a-z0-9]+", "-", provider.lower()).strip("-"))


def lpa_string(smdp: str, matching_id: str) -> str:
    return f"LPA:1${smdp}${matching_id}"


@lru_cache(maxsize=512)
def qr_data_uri(lpa: str) -> str:
    """Return a PNG data URI of a QR code that encodes exactly ``lpa``."""
    return segno.make(lpa, error="m", micro=False).png_data_uri(scale=6, border=4)


def apple_install_url(lpa: str) -> str:
    return APPLE_INSTALL_URL.format(lpa=lpa)


def android_install_url(lpa: str) -> str:
    return ANDROID_INSTALL_URL.format(lpa=lpa)
