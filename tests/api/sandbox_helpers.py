"""Helpers for running the API client against a real sandbox over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from esimfly_desktop.api import Credentials, EsimflyClient
from esimfly_desktop.sandbox.launcher import SandboxInfo


def sandbox_client(info: SandboxInfo, **kwargs: Any) -> EsimflyClient:
    credentials = kwargs.pop("credentials", Credentials(info.access_code, info.secret))
    return EsimflyClient(info.base_url, credentials, **kwargs)


class EditingTransport(httpx.AsyncBaseTransport):
    """Real HTTP, with each request changed by ``edit`` after the client signed it."""

    def __init__(self, edit: Callable[[httpx.Request], None]) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._edit = edit

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._edit(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
