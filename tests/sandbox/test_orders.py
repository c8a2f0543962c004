"""Ordering: completion, eSIM identifiers, errors, idempotency, pending orders, history."""

from __future__ import annotations

import base64
import re
import time
import uuid
from decimal import Decimal

import numpy as np
import zxingcpp
from PySide6.QtGui import QImage

from esimfly_desktop.sandbox.esim_data import luhn_valid
from tests.sandbox.raw_api import AdminCalls, RawApi, json_of

LPA_PATTERN = re.compile(r"^LPA:1\$(?P<smdp>[a-z0-9.-]+)\$(?P<matching_id>[A-Z0-9-]+)$")
REFERENCE_PATTERN = re.compile(r"^order_\d{13}_[a-z0-9]{5}$")
APPLE_PREFIX = "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata="
ANDROID_PREFIX = "https://esimsetup.android.com/esim_qrcode_provisioning?carddata="
PENDING_WAIT_S = 10.0


def decode_qr(data_uri: str) -> list[str]:
    assert data_uri.startswith("data:image/png;base64,")
    png = base64.b64decode(data_uri.split(",", 1)[1])
    image = QImage.fromData(png).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, stride)
    return [result.text for result in zxingcpp.read_barcodes(pixels[:, :width].copy())]


def test_completed_order_shape(api: RawApi) -> None:
    package = api.find_package("Japan")

    response = api.order(package["package_code"], 2)
    body = json_of(response)

    assert response.status_code == 200
    assert body["success"] is True
    assert body["status"] == "completed"
    assert REFERENCE_PATTERN.match(body["orderReference"])
    assert body["amount"] == package["cost"] * 2
    assert body["final_price"] == body["amount"]
    assert body["newBalance"] == Decimal("1000.00") - body["amount"]
    assert body["currency"] == "USD"
    assert body["packageName"] == package["name"]
    assert len(body["esims"]) == 2
    assert body["lpaString"] == body["esims"][0]["lpaString"]
    assert body["qrCodeUrl"] == body["esims"][0]["qrCodeUrl"]
    assert "duplicate" not in body


def test_esim_identifiers(api: RawApi) -> None:
    body = json_of(api.order(api.find_package("Japan")["package_code"]))
    esim = body["esims"][0]

    assert re.fullmatch(r"89\d{17,18}", esim["iccid"])
    assert luhn_valid(esim["iccid"])
    assert LPA_PATTERN.match(esim["lpaString"])
    assert decode_qr(esim["qrCodeUrl"]) == [esim["lpaString"]]
    assert esim["directAppleInstallUrl"] == APPLE_PREFIX + esim["lpaString"]
    assert esim["directAndroidInstallUrl"] == ANDROID_PREFIX + esim["lpaString"]
    assert esim["status"] == "New"
    assert esim["profile_status"] == "Not Installed"
    assert esim["total_volume"] > 0
    assert esim["total_duration"] > 0


def test_order_errors(api: RawApi) -> None:
    code = api.find_package("Japan")["package_code"]
    cases = [
        ({"quantity": 1}, 400, "MISSING_PACKAGE_CODE"),
        ({"packageCode": 12345}, 400, "INVALID_PACKAGE"),
        ({"packageCode": "NO-SUCH-PACKAGE"}, 404, "PACKAGE_NOT_FOUND"),
        ({"packageCode": code, "quantity": 0}, 400, "INVALID_QUANTITY"),
        ({"packageCode": code, "quantity": 11}, 400, "INVALID_QUANTITY"),
        ({"packageCode": code, "quantity": "two"}, 400, "INVALID_QUANTITY"),
        ({"packageCode": code, "idempotency_key": "k" * 201}, 400, "INVALID_PARAMETER"),
        ({"packageCode": code, "price": Decimal("0.01")}, 400, "PRICE_MISMATCH"),
    ]
    for body, status, error_code in cases:
        response = api.post("/esims/order", body)

        assert response.status_code == status, body
        assert json_of(response)["code"] == error_code, body

    balance = json_of(api.get("/balance"))["data"]["balance"]
    assert balance == Decimal("1000.00")


def test_price_matching_cost_accepted(api: RawApi) -> None:
    package = api.find_package("Japan")

    as_number = api.order(package["package_code"], price=package["cost"])
    as_string = api.order(package["package_code"], price=str(package["cost"]))

    assert as_number.status_code == 200
    assert as_string.status_code == 200


def test_insufficient_balance_amounts(api: RawApi) -> None:
    package = max(
        json_of(api.get("/esims/packages", {"search": "Global", "limit": 100}))["data"]["packages"],
        key=lambda package: package["cost"],
    )
    quantity = 10
    required = package["cost"] * quantity

    response = api.order(package["package_code"], quantity)
    body = json_of(response)

    assert response.status_code == 400
    assert body["code"] == "INSUFFICIENT_BALANCE"
    assert body["currentBalance"] == Decimal("1000.00")
    assert body["requiredBalance"] == required
    assert body["needToLoad"] == required - Decimal("1000.00")
    assert json_of(api.get("/balance"))["data"]["balance"] == Decimal("1000.00")


def test_repeat_key_returns_duplicate(api: RawApi, admin_calls: AdminCalls) -> None:
    package = api.find_package("Japan")
    body = {"packageCode": package["package_code"], "quantity": 1, "idempotency_key": "key-1"}

    first = json_of(api.post("/esims/order", body))
    repeat = json_of(api.post("/esims/order", body))

    assert repeat["duplicate"] is True
    assert repeat["orderReference"] == first["orderReference"]
    assert repeat["esims"][0]["iccid"] == first["esims"][0]["iccid"]
    assert repeat["newBalance"] == first["newBalance"]
    kinds = [entry["kind"] for entry in admin_calls.ledger(api.access_code)]
    assert kinds == ["order", "charge"]


def test_repeat_after_price_change_replays(api: RawApi, admin_calls: AdminCalls) -> None:
    # The repeat's price differs from the cost, as when the catalog price changed
    # between an order whose response was lost and its repeat.
    package = api.find_package("Japan")
    body = {
        "packageCode": package["package_code"],
        "idempotency_key": str(uuid.uuid4()),
        "price": package["cost"],
    }

    first = json_of(api.post("/esims/order", body))
    repeat = api.post("/esims/order", {**body, "price": package["cost"] + Decimal("0.01")})

    assert repeat.status_code == 200
    assert json_of(repeat)["duplicate"] is True
    assert json_of(repeat)["orderReference"] == first["orderReference"]
    kinds = [entry["kind"] for entry in admin_calls.ledger(api.access_code)]
    assert kinds == ["order", "charge"]


def test_failed_order_frees_key(api: RawApi) -> None:
    package = api.find_package("Japan")
    key = str(uuid.uuid4())

    mismatch = api.post(
        "/esims/order",
        {"packageCode": package["package_code"], "idempotency_key": key, "price": "0.01"},
    )
    retry = api.post(
        "/esims/order", {"packageCode": package["package_code"], "idempotency_key": key}
    )

    assert mismatch.status_code == 400
    assert retry.status_code == 200
    assert "duplicate" not in json_of(retry)


def test_pending_order_completes(api: RawApi) -> None:
    package = api.find_package("Japan", pending=True)

    created = json_of(api.order(package["package_code"]))
    reference = created["orderReference"]
    early = json_of(api.get("/esims/order", {"orderReference": reference}))["order"]

    assert created["status"] == "pending_details"
    assert created["isPending"] is True
    assert created["esims"] == []
    assert early["status"] == "pending_details"
    assert early["esim"]["isPending"] is True
    assert early["esim"]["iccid"] is None

    deadline = time.monotonic() + PENDING_WAIT_S
    order = early
    while order["status"] == "pending_details" and time.monotonic() < deadline:
        time.sleep(0.25)
        order = json_of(api.get("/esims/order", {"orderReference": reference}))["order"]

    assert order["status"] == "completed"
    assert order["esim"]["isPending"] is False
    assert LPA_PATTERN.match(order["esim"]["lpaString"])
    assert order["esims"][0]["iccid"] == order["esim"]["iccid"]


def test_pending_repeat_shows_current_state(api: RawApi) -> None:
    package = api.find_package("Japan", pending=True)
    body = {"packageCode": package["package_code"], "idempotency_key": str(uuid.uuid4())}

    first = json_of(api.post("/esims/order", body))
    repeat = json_of(api.post("/esims/order", body))

    assert first["status"] == "pending_details"
    assert repeat["duplicate"] is True
    assert repeat["status"] == "pending_details"
    assert repeat["orderReference"] == first["orderReference"]


def test_get_order_details(api: RawApi) -> None:
    created = json_of(api.order(api.find_package("Japan")["package_code"], 2))

    response = api.get("/esims/order", {"orderReference": created["orderReference"]})
    order = json_of(response)["order"]

    assert response.status_code == 200
    assert order["orderReference"] == created["orderReference"]
    assert order["status"] == "completed"
    assert order["amount"] == created["amount"]
    assert order["esim"]["iccid"] == created["esims"][0]["iccid"]
    assert [esim["iccid"] for esim in order["esims"]] == [e["iccid"] for e in created["esims"]]


def test_get_order_not_found(api: RawApi) -> None:
    missing = api.get("/esims/order", {"orderReference": "order_1_abcde"})
    no_reference = api.get("/esims/order")

    assert (missing.status_code, json_of(missing)["code"]) == (404, "ORDER_NOT_FOUND")
    assert (no_reference.status_code, json_of(no_reference)["code"]) == (400, "INVALID_PARAMETER")


def test_order_history_filters(api: RawApi) -> None:
    cheap = api.find_package("Japan")
    pending = api.find_package("Japan", pending=True)
    completed = json_of(api.order(cheap["package_code"], 3))
    json_of(api.order(pending["package_code"]))

    everything = json_of(api.get("/orders"))["data"]
    only_completed = json_of(api.get("/orders", {"status": "completed"}))["data"]
    only_pending = json_of(api.get("/orders", {"status": "pending"}))["data"]
    by_search = json_of(api.get("/orders", {"search": completed["orderReference"]}))["data"]
    future = json_of(api.get("/orders", {"from_date": "2999-01-01"}))["data"]
    ascending = json_of(api.get("/orders", {"sort_by": "amount", "sort_order": "asc"}))["data"]

    assert everything["pagination"]["total"] == 2
    assert everything["summary"]["total_orders"] == 1
    assert everything["summary"]["total_revenue"] == completed["amount"]
    assert [order["status"] for order in only_completed["orders"]] == ["completed"]
    assert [order["status"] for order in only_pending["orders"]] == ["pending_details"]
    assert [order["order_reference"] for order in by_search["orders"]] == [
        completed["orderReference"]
    ]
    assert future["orders"] == []
    amounts = [order["amount"] for order in ascending["orders"]]
    assert amounts == sorted(amounts)


def test_order_history_bad_values(api: RawApi) -> None:
    for params in (
        {"status": "done"},
        {"from_date": "yesterday"},
        {"sort_by": "name"},
        {"page": "0"},
    ):
        response = api.get("/orders", params)

        assert (response.status_code, json_of(response)["code"]) == (400, "INVALID_PARAMETER"), (
            params
        )
