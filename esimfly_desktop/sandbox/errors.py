"""The error envelope of the business API, raised from any handler."""

from __future__ import annotations

from typing import Any


class SandboxApiError(Exception):
    """An error response: HTTP status, contract code, message and optional fields.

    ``fields`` go to the top level of the body (for example the amounts of
    ``INSUFFICIENT_BALANCE``); ``details`` goes under ``details``.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}
        self.fields = fields

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "success": False,
            "code": self.code,
            "error": self.message,
            "message": self.message,
        }
        body.update(self.fields)
        if self.details is not None:
            body["details"] = self.details
        return body


def invalid_parameter(name: str, problem: str) -> SandboxApiError:
    return SandboxApiError(
        400, "INVALID_PARAMETER", f"Invalid {name}: {problem}.", details={"parameter": name}
    )
