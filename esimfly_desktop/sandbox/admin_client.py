"""An async client for the sandbox's admin API (faults, the customer's phone, funds, ledger).

Each call opens a short-lived connection, so one instance works from any
event loop (pytest-asyncio's, qasync's) and from several in turn.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

TIMEOUT_S = 10.0


class SandboxAdminError(RuntimeError):
    """The admin API rejected a call; the message has its status and body."""


class SandboxAdmin:
    def __init__(self, admin_url: str, admin_token: str) -> None:
        self.admin_url = admin_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {admin_token}"}

    def __repr__(self) -> str:
        return f"SandboxAdmin({self.admin_url!r})"

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=TIMEOUT_S, trust_env=False) as client:
            response = await client.request(
                method, self.admin_url + path, json=body, params=params, headers=self._headers
            )
        return _checked(method, path, response)

    async def set_faults(self, **faults: Any) -> dict[str, Any]:
        """Switch on faults: latency_ms, error_rate, outage, drop_after_commit, clock_offset_s."""
        return (await self._call("POST", "/admin/faults", faults))["faults"]

    async def get_faults(self) -> dict[str, Any]:
        """Return the faults switched on now, by name."""
        return (await self._call("GET", "/admin/faults"))["faults"]

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/admin/faults")

    async def load_funds(self, access_code: str, amount: Decimal | str) -> Decimal:
        """Add ``amount`` to the account and return the new balance."""
        body = await self._call(
            "POST", f"/admin/accounts/{access_code}/funds", {"amount": str(amount)}
        )
        return Decimal(str(body["balance"]))

    async def add_account(self, balance: Decimal | str = "0") -> tuple[str, str]:
        """Create another account; return its access code and secret."""
        body = await self._call("POST", "/admin/accounts", {"balance": str(balance)})
        return body["access_code"], body["secret"]

    async def install(self, iccid: str, device_model: str | None = None) -> dict[str, Any]:
        body = {} if device_model is None else {"device_model": device_model}
        return (await self._call("POST", f"/admin/esims/{iccid}/install", body))["esim"]

    async def set_usage(self, iccid: str, megabytes: Decimal | int | str) -> dict[str, Any]:
        body = {"megabytes": str(megabytes)}
        return (await self._call("POST", f"/admin/esims/{iccid}/usage", body))["esim"]

    async def expire(self, iccid: str) -> dict[str, Any]:
        return (await self._call("POST", f"/admin/esims/{iccid}/expire"))["esim"]

    async def ledger(self, access_code: str | None = None) -> list[dict[str, Any]]:
        """Return every ledger entry (order, charge, refund, topup, funds), oldest first."""
        params = None if access_code is None else {"access_code": access_code}
        entries = (await self._call("GET", "/admin/ledger", params=params))["entries"]
        for entry in entries:
            entry["amount"] = Decimal(str(entry["amount"]))
            entry["balance_after"] = Decimal(str(entry["balance_after"]))
        return entries


def _checked(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
    body = response.json(parse_float=Decimal)
    if response.status_code != 200:
        raise SandboxAdminError(f"{method} {path} failed with {response.status_code}: {body}")
    return body
