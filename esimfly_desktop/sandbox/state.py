"""Everything one sandbox run shares: settings, database, catalog, limits, faults."""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from esimfly_desktop.sandbox.catalog import NETWORK_FIELDS, generate_catalog, network_fields
from esimfly_desktop.sandbox.config import SandboxConfig
from esimfly_desktop.sandbox.faults import Faults
from esimfly_desktop.sandbox.rate_limit import RateLimiter
from esimfly_desktop.sandbox.store import Store

log = logging.getLogger(__name__)


class Catalog:
    """The packages in catalog order, with lookup by code."""

    def __init__(self, packages: list[dict[str, Any]]) -> None:
        self.packages = packages
        self.by_code = {package["package_code"]: package for package in packages}
        self._search_text = [
            " ".join(
                [package["package_code"], package["name"], package["region"], package["provider"]]
                + package["countries"]
            ).lower()
            for package in packages
        ]

    def select(self, search: str | None, package_type: str | None) -> list[dict[str, Any]]:
        needle = (search or "").strip().lower()
        return [
            package
            for package, text in zip(self.packages, self._search_text, strict=True)
            if (not needle or needle in text)
            and (package_type is None or package["type"] == package_type)
        ]


@dataclass
class SandboxState:
    config: SandboxConfig
    store: Store
    catalog: Catalog
    limiter: RateLimiter
    demo_access_code: str
    demo_secret: str
    currency: str
    faults: Faults = field(default_factory=Faults)
    notify: Any = None  # callable(access_code, event, data) set when webhooks run

    def now(self) -> float:
        """Return the server's clock in Unix seconds, shifted by the clock fault."""
        return time.time() + self.faults.clock_offset_s

    def emit(self, access_code: str, event: str, data: dict[str, Any]) -> None:
        if self.notify is not None:
            self.notify(access_code, event, data)


def open_state(config: SandboxConfig) -> SandboxState:
    """Open the data folder, creating the demo account and catalog on first run."""
    store = Store.open(config.data_dir, reset=config.reset)
    access_code = store.get_meta("demo_access_code")

    if access_code is None:
        access_code = f"esf_{secrets.token_hex(8)}"
        secret = f"sk_{secrets.token_urlsafe(24)}"
        balance = config.balance
        if config.currency == "IQD":
            balance = balance.quantize(Decimal(1))
        with store.transaction():
            store.add_account(access_code, secret, balance, config.currency)
            store.set_meta("demo_access_code", access_code)
            store.set_meta("currency", config.currency)
            _save_catalog(store, generate_catalog(config.currency))
        log.info("Created demo account %s… with %s %s", access_code[:8], balance, config.currency)
    else:
        log.info("Reusing demo account %s… from %s", access_code[:8], config.data_dir)

    account = store.account(access_code)
    if account is None:
        raise RuntimeError(f"{store.path} names demo account {access_code} but does not contain it")
    currency = str(account["currency"])
    if currency != config.currency:
        log.warning(
            "The data folder contains a %s account, so --currency %s is ignored; "
            "add --reset to apply it",
            currency,
            config.currency,
        )

    return SandboxState(
        config=config,
        store=store,
        catalog=Catalog(_load_catalog(store)),
        limiter=RateLimiter(config.rate_windows),
        demo_access_code=access_code,
        demo_secret=str(account["secret"]),
        currency=currency,
    )


def _save_catalog(store: Store, packages: list[dict[str, Any]]) -> None:
    store.connection.executemany(
        "INSERT INTO packages (position, package_code, body) VALUES (?, ?, ?)",
        (
            (position, package["package_code"], json.dumps(_without_networks(package), default=str))
            for position, package in enumerate(packages)
        ),
    )


def _without_networks(package: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in package.items() if key not in NETWORK_FIELDS}


def _load_catalog(store: Store) -> list[dict[str, Any]]:
    packages = []
    for (body,) in store.connection.execute("SELECT body FROM packages ORDER BY position"):
        package = json.loads(body)
        package["cost"] = Decimal(package["cost"])
        package.update(network_fields(tuple(package["countries"])))
        packages.append(package)
    return packages
