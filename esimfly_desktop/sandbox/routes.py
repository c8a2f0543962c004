"""The business API's paths (under /api/v1/business) and their handlers per method."""

from __future__ import annotations

from esimfly_desktop.sandbox import account_endpoints
from esimfly_desktop.sandbox.app import Handler


def business_routes() -> dict[str, dict[str, Handler]]:
    return {
        "/balance": {"GET": account_endpoints.get_balance},
        "/esims/packages": {"GET": account_endpoints.list_packages},
    }
