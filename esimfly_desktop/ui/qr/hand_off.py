"""Data handed to a customer for one eSIM, with no prices and no staff data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

LPA_PREFIX = "LPA:1$"


def split_lpa_string(lpa_string: str) -> tuple[str, str]:
    """Return the SM-DP+ address and matching id of ``LPA:1$<address>$<matching id>[$…]``.

    Raises ValueError when the string is not an LPA activation code.
    """
    if not lpa_string.startswith(LPA_PREFIX):
        raise ValueError("not an LPA activation code (expected the LPA:1$ prefix)")
    parts = lpa_string[len(LPA_PREFIX) :].split("$")
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError("LPA activation code without an SM-DP+ address or matching id")
    return parts[0], parts[1]


@dataclass(frozen=True)
class HandOff:
    """One eSIM as shown to the customer: QR code, manual codes, links, allowance."""

    iccid: str
    lpa_string: str
    smdp_address: str
    matching_id: str
    apple_install_url: str | None = None
    android_install_url: str | None = None
    package_name: str = ""
    data_bytes: int | None = None
    validity_days: int | None = None
    is_unlimited: bool = False
    order_reference: str = ""

    def __repr__(self) -> str:
        # The LPA string and matching id install the eSIM: keep them out of logs.
        return f"HandOff(iccid={self.iccid!r}, order_reference={self.order_reference!r})"

    @classmethod
    def from_esim(
        cls,
        esim: Any,
        *,
        package_name: str = "",
        order_reference: str = "",
        is_unlimited: bool = False,
    ) -> HandOff:
        """Build from an ``api.models.Esim`` (or any object with its field names).

        An LPA string that cannot be split still gives a QR code; the manual
        fields are then empty.
        """
        lpa_string = esim.lpa_string
        smdp_address = getattr(esim, "smdp_address", None)
        matching_id = getattr(esim, "matching_id", None)
        if not smdp_address or not matching_id:
            try:
                smdp_address, matching_id = split_lpa_string(lpa_string)
            except ValueError as error:
                log.warning("eSIM %s has no manual codes: %s", esim.iccid, error)
                smdp_address, matching_id = "", ""
        return cls(
            iccid=esim.iccid,
            lpa_string=lpa_string,
            smdp_address=smdp_address,
            matching_id=matching_id,
            apple_install_url=getattr(esim, "apple_install_url", None) or None,
            android_install_url=getattr(esim, "android_install_url", None) or None,
            package_name=package_name,
            data_bytes=getattr(esim, "total_volume_bytes", None),
            validity_days=getattr(esim, "total_duration_days", None),
            is_unlimited=is_unlimited,
            order_reference=order_reference,
        )


def hand_offs_from_order(order: Any, *, is_unlimited: bool = False) -> list[HandOff]:
    """Return a hand-off for each provisioned eSIM of a stored order, in order.

    ``order`` is a ``services.order_store.StoredOrder`` (or has its field names).
    eSIMs whose details have not arrived yet are left out.
    """
    hand_offs = []
    for esim in order.esims:
        if not (esim.iccid and esim.lpa_string):
            continue
        hand_offs.append(
            HandOff.from_esim(
                esim,
                package_name=order.package_name,
                order_reference=order.order_reference,
                is_unlimited=is_unlimited,
            )
        )
    return hand_offs
