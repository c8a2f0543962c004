"""Build order and eSIM models from decoded responses."""

from __future__ import annotations

from esimfly_desktop.api.catalog_parsing import parse_pagination
from esimfly_desktop.api.json_reader import JsonObject
from esimfly_desktop.api.order_models import (
    Esim,
    OrderDetails,
    OrderPage,
    OrderResult,
    OrderSummary,
)


def parse_esim(item: JsonObject) -> Esim:
    """Read one eSIM in either spelling: ``lpaString`` (orders) or ``lpa_string``."""
    return Esim(
        iccid=item.optional_text("iccid"),
        lpa_string=item.optional_text(item.first_name("lpaString", "lpa_string")),
        qr_code_url=item.optional_text(item.first_name("qrCodeUrl", "qr_code_url")),
        apple_install_url=item.optional_text("directAppleInstallUrl"),
        android_install_url=item.optional_text("directAndroidInstallUrl"),
        status=item.optional_text("status"),
        profile_status=item.optional_text("profile_status"),
        total_volume_bytes=item.optional_integer(item.first_name("total_volume", "totalVolume")),
        total_duration_days=item.optional_integer(
            item.first_name("total_duration", "totalDuration")
        ),
        expired_time=item.optional_text(item.first_name("expired_time", "expiredTime")),
        is_pending=item.boolean("isPending"),
    )


def parse_order_result(body: JsonObject) -> OrderResult:
    """Read the response to ``POST /esims/order``, whose fields sit at the top level."""
    status = body.text("status")
    esims = tuple(parse_esim(item) for item in body.objects("esims", required=False))
    is_pending = body.boolean("isPending", default=status.lower().startswith("pending"))
    return OrderResult(
        order_reference=body.text("orderReference"),
        status=status,
        is_pending=is_pending,
        amount=body.optional_decimal("amount"),
        new_balance=body.optional_decimal("newBalance"),
        currency=body.optional_text("currency"),
        duplicate=body.boolean("duplicate"),
        package_name=body.optional_text("packageName"),
        esims=esims,
    )


def parse_order_details(body: JsonObject) -> OrderDetails:
    """Read ``GET /esims/order``: ``order.esims`` when present, else ``order.esim``."""
    order = body.object("order")
    esims = tuple(parse_esim(item) for item in order.objects("esims", required=False))
    if not esims:
        first = order.optional_object("esim")
        esims = (parse_esim(first),) if first is not None else ()
    return OrderDetails(
        order_reference=order.text("orderReference"),
        status=order.text("status"),
        package_name=order.optional_text("packageName"),
        package_code=order.optional_text("packageCode"),
        amount=order.optional_decimal("amount"),
        final_price=order.optional_decimal("finalPrice"),
        order_date=order.optional_text("orderDate"),
        payment_method=order.optional_text("paymentMethod"),
        payment_status=order.optional_text("paymentStatus"),
        esims=esims,
    )


def parse_order_page(data: JsonObject) -> OrderPage:
    orders = tuple(_parse_order_summary(item) for item in data.objects("orders"))
    summary = data.optional_object("summary")
    return OrderPage(
        orders=orders,
        total_orders=summary.optional_integer("total_orders") if summary else None,
        total_revenue=summary.optional_decimal("total_revenue") if summary else None,
        pagination=parse_pagination(data, len(orders)),
    )


def _parse_order_summary(item: JsonObject) -> OrderSummary:
    esim = item.optional_object("esim")
    return OrderSummary(
        order_reference=item.text("order_reference"),
        package_name=item.optional_text("package_name"),
        package_code=item.optional_text("package_code"),
        amount=item.optional_decimal("amount"),
        currency=item.optional_text("currency"),
        status=item.text("status"),
        created_at=item.optional_text("created_at"),
        esim=parse_esim(esim) if esim is not None else None,
        order_id=item.optional_text("id"),
    )
