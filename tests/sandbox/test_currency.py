"""An IQD account: whole-dinar balance, prices and order amounts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from esimfly_desktop.sandbox.launcher import SandboxProcess
from tests.sandbox.raw_api import RawApi, json_of


def test_iqd_amounts_are_whole(start_sandbox: Callable[..., SandboxProcess]) -> None:
    info = start_sandbox("--currency", "IQD", "--balance", "250000").info
    api = RawApi(info.base_url, info.access_code, info.secret)
    try:
        balance = api.get("/balance")
        package = api.find_package("Iraq")
        order = json_of(api.order(package["package_code"]))
    finally:
        api.close()

    assert balance.text == '{"success":true,"data":{"balance":250000,"currency":"IQD"}}'
    assert info.currency == "IQD"
    assert package["currency"] == "IQD"
    assert isinstance(package["cost"], int)
    assert order["currency"] == "IQD"
    assert order["amount"] == package["cost"]
    assert order["newBalance"] == Decimal(250000) - package["cost"]
