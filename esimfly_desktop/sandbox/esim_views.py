"""The JSON shapes of an eSIM in the responses of the different endpoints."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox import esim_data

MB = 1024 * 1024


def iso_time(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def lpa_of(row: sqlite3.Row) -> str:
    return esim_data.lpa_string(row["smdp_address"], row["matching_id"])


def profile_status(row: sqlite3.Row) -> str:
    if row["state"] == "CANCELLED":
        return "Deleted"
    if row["installed_at"] is None:
        return "Not Installed"
    return "Disabled" if row["suspended"] else "Enabled"


def created_item(row: sqlite3.Row) -> dict[str, Any]:
    """Build an item of ``esims`` in the order-creation response (and ``order.esims``)."""
    lpa = lpa_of(row)
    return {
        "iccid": row["iccid"],
        "esimId": row["id"],
        "lpaString": lpa,
        "qrCodeUrl": esim_data.qr_data_uri(lpa),
        "directAppleInstallUrl": esim_data.apple_install_url(lpa),
        "directAndroidInstallUrl": esim_data.android_install_url(lpa),
        "status": row["state"].title(),
        "profile_status": profile_status(row),
        "imsi": row["imsi"],
        "msisdn": row["msisdn"],
        "total_volume": row["total_mb"] * MB,
        "total_duration": row["validity_days"],
        "expired_time": iso_time(row["expires_at"]),
    }


def order_esim(row: sqlite3.Row | None, pending: bool) -> dict[str, Any]:
    """Build ``order.esim`` of GET /esims/order: the first eSIM, or a placeholder while pending."""
    if row is None or pending:
        return {
            "iccid": None,
            "status": "pending",
            "profile_status": None,
            "qrCodeUrl": None,
            "directAppleInstallUrl": None,
            "directAndroidInstallUrl": None,
            "lpaString": None,
            "isPending": True,
            "totalVolume": None,
            "totalDuration": None,
            "expiredTime": None,
        }
    lpa = lpa_of(row)
    return {
        "iccid": row["iccid"],
        "status": row["state"].title(),
        "profile_status": profile_status(row),
        "qrCodeUrl": esim_data.qr_data_uri(lpa),
        "directAppleInstallUrl": esim_data.apple_install_url(lpa),
        "directAndroidInstallUrl": esim_data.android_install_url(lpa),
        "lpaString": lpa,
        "isPending": False,
        "totalVolume": row["total_mb"] * MB,
        "totalDuration": row["validity_days"],
        "expiredTime": iso_time(row["expires_at"]),
    }


def data_block(row: sqlite3.Row, unlimited: bool) -> dict[str, Any]:
    total = Decimal(row["total_mb"])
    used = Decimal(row["used_mb"])
    remaining = max(Decimal(0), total - used)
    percentage = (used / total * 100).quantize(Decimal("0.01")) if total else Decimal(0)
    return {
        "total_mb": total,
        "used_mb": used,
        "remaining_mb": remaining,
        "usage_percentage": min(percentage, Decimal(100)),
        "is_unlimited": unlimited,
    }


def validity_block(row: sqlite3.Row, now: float) -> dict[str, Any]:
    expires_at = row["expires_at"]
    return {
        "days": row["validity_days"],
        "activated_at": iso_time(row["installed_at"]),
        "expires_at": iso_time(expires_at),
        "is_expired": row["state"] == "EXPIRED" or (expires_at is not None and expires_at <= now),
    }


def list_item(
    row: sqlite3.Row, package: dict[str, Any], now: float, pending: bool
) -> dict[str, Any]:
    """Build an item of the GET /esims list."""
    lpa = lpa_of(row)
    return {
        "id": row["id"],
        "iccid": row["iccid"],
        "order_reference": row["order_reference"],
        "package_name": package["name"],
        "package_code": package["package_code"],
        "countries": package["countries"],
        "status": row["state"],
        "data": data_block(row, package["is_unlimited"]),
        "validity": validity_block(row, now),
        "qr_code": esim_data.qr_data_uri(lpa),
        "manual_installation": {
            "smdp_address": row["smdp_address"],
            "activation_code": row["matching_id"],
            "lpa_format": lpa,
        },
        "direct_apple_installation_url": esim_data.apple_install_url(lpa),
        "direct_android_installation_url": esim_data.android_install_url(lpa),
        "created_at": iso_time(row["created_at"]),
        "is_pending": pending,
    }
