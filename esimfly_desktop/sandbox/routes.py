"""The business API's paths (under /api/v1/business) and their handlers per method."""

from __future__ import annotations

from esimfly_desktop.sandbox import (
    account_endpoints,
    esims,
    order_history,
    orders,
    topups,
    webhooks,
)
from esimfly_desktop.sandbox.app import Handler


def business_routes() -> dict[str, dict[str, Handler]]:
    return {
        "/balance": {"GET": account_endpoints.get_balance},
        "/esims/packages": {"GET": account_endpoints.list_packages},
        "/esims/order": {"POST": orders.create_order, "GET": orders.get_order},
        "/orders": {"GET": order_history.list_orders},
        "/esims": {"GET": esims.list_esims},
        "/esims/usage/query": {"GET": esims.query_usage},
        "/esims/status": {"POST": esims.esim_status},
        "/esims/cancel": {"POST": esims.cancel_esim},
        "/esims/suspend": {"POST": esims.suspend_esim},
        "/esims/usage-report": {"POST": esims.usage_report},
        "/topup/packages": {"GET": topups.list_topup_packages},
        "/topup/order": {"POST": topups.create_topup},
        "/webhooks": {"GET": webhooks.get_webhooks, "PUT": webhooks.put_webhooks},
    }
