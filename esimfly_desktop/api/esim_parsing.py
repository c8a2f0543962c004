"""Build models for eSIM lists, usage, top-ups, eSIM actions and webhook settings."""

from __future__ import annotations

from esimfly_desktop.api.catalog_parsing import parse_pagination
from esimfly_desktop.api.json_reader import JsonObject
from esimfly_desktop.api.order_models import (
    CancelResult,
    CountryUsage,
    DailyUsage,
    DataUsage,
    EsimPage,
    EsimRecord,
    EsimStatus,
    SuspendResult,
    TopupResult,
    UsageQuery,
    UsageReport,
    Validity,
    WebhookSettings,
)


def parse_data_usage(data: JsonObject | None) -> DataUsage | None:
    if data is None:
        return None
    return DataUsage(
        total_mb=data.optional_decimal("total_mb"),
        used_mb=data.optional_decimal("used_mb"),
        remaining_mb=data.optional_decimal("remaining_mb"),
        usage_percentage=data.optional_decimal("usage_percentage"),
        is_unlimited=data.boolean("is_unlimited"),
    )


def parse_validity(data: JsonObject | None) -> Validity | None:
    if data is None:
        return None
    return Validity(
        days=data.optional_integer("days"),
        activated_at=data.optional_text("activated_at"),
        expires_at=data.optional_text("expires_at"),
        is_expired=data.boolean("is_expired"),
    )


def parse_esim_record(item: JsonObject) -> EsimRecord:
    manual = item.optional_object("manual_installation")
    return EsimRecord(
        iccid=item.text("iccid"),
        package_name=item.optional_text("package_name"),
        package_code=item.optional_text("package_code"),
        status=item.optional_text("status"),
        countries=item.texts("countries"),
        usage=parse_data_usage(item.optional_object("data")),
        validity=parse_validity(item.optional_object("validity")),
        smdp_address=manual.optional_text("smdp_address") if manual else None,
        activation_code=manual.optional_text("activation_code") if manual else None,
        lpa_string=manual.optional_text("lpa_format") if manual else None,
        qr_code=item.optional_text("qr_code"),
        apple_install_url=item.optional_text("direct_apple_installation_url"),
        android_install_url=item.optional_text("direct_android_installation_url"),
        created_at=item.optional_text("created_at"),
        is_pending=item.boolean("is_pending"),
        esim_id=item.optional_text("id"),
    )


def parse_esim_page(data: JsonObject) -> EsimPage:
    esims = tuple(parse_esim_record(item) for item in data.objects("esims"))
    return EsimPage(esims=esims, pagination=parse_pagination(data, len(esims)))


def parse_usage_query(data: JsonObject) -> UsageQuery:
    esim = data.object("esim")
    return UsageQuery(
        iccid=esim.text("iccid"),
        order_id=esim.optional_text("order_id"),
        package_name=esim.optional_text("package_name"),
        status=esim.optional_text("status"),
        usage=parse_data_usage(data.optional_object("data")),
        validity=parse_validity(data.optional_object("validity")),
    )


def parse_topup_result(body: JsonObject) -> TopupResult:
    esim_data = body.optional_object("esimData")
    return TopupResult(
        order_reference=body.text("orderReference"),
        iccid=body.optional_text("iccid"),
        package_name=body.optional_text("packageName"),
        new_balance=body.optional_decimal("newBalance"),
        currency=body.optional_text("currency"),
        status=body.text("status"),
        amount=body.optional_decimal("amount"),
        new_total_volume_gb=esim_data.optional_decimal("newTotalVolumeGB") if esim_data else None,
        new_remaining_volume_gb=(
            esim_data.optional_decimal("newRemainingVolumeGB") if esim_data else None
        ),
        expired_time=esim_data.optional_text("expiredTime") if esim_data else None,
    )


def parse_esim_status(data: JsonObject) -> EsimStatus:
    network = data.optional_object("last_network")
    device = data.optional_object("device")
    usage = data.optional_object("data_usage")
    return EsimStatus(
        iccid=data.text("iccid"),
        status=data.optional_text("status"),
        esim_status=data.optional_text("esim_status"),
        smdp_status=data.optional_text("smdp_status"),
        profile=data.optional_text("profile"),
        operator=network.optional_text("operator") if network else None,
        country=network.optional_text("country") if network else None,
        connection_type=network.optional_text("connection_type") if network else None,
        device_model=device.optional_text("model") if device else None,
        imei=device.optional_text("imei") if device else None,
        activation_date=data.optional_text("activation_date"),
        last_usage_date=data.optional_text("last_usage_date"),
        expiry_date=data.optional_text("expiry_date"),
        used_gb=usage.optional_decimal("used_gb") if usage else None,
        total_gb=usage.optional_decimal("total_gb") if usage else None,
        unlimited=usage.boolean("unlimited") if usage else False,
    )


def parse_cancel_result(data: JsonObject) -> CancelResult:
    return CancelResult(
        order_reference=data.optional_text("order_reference"),
        cancelled_esims=_identifiers(data, "cancelled_esims"),
        failed_esims=_identifiers(data, "failed_esims"),
        refunded_amount=data.optional_decimal("refunded_amount"),
        currency=data.optional_text("currency"),
        refund_method=data.optional_text("refund_method"),
        balance_credited=_credited(data),
    )


def parse_suspend_result(data: JsonObject) -> SuspendResult:
    return SuspendResult(
        iccid=data.text("iccid"),
        action=data.text("action"),
        esim_status=data.optional_text("esim_status"),
    )


def parse_usage_report(data: JsonObject) -> UsageReport:
    summary = data.optional_object("summary")
    daily = tuple(
        DailyUsage(
            date=day.text("date"),
            data_mb=day.decimal("data_mb"),
            data_gb=day.optional_decimal("data_gb"),
        )
        for day in data.objects("daily_usage", required=False)
    )
    by_country = tuple(
        CountryUsage(
            country=row.text("country"),
            mcc=row.optional_text("mcc"),
            data_mb=row.decimal("data_mb"),
            data_gb=row.optional_decimal("data_gb"),
        )
        for row in data.objects("by_country", required=False)
    )
    return UsageReport(
        iccid=data.text("iccid"),
        period_days=data.integer("period_days"),
        start_date=data.optional_text("start_date"),
        end_date=data.optional_text("end_date"),
        total_data_mb=summary.optional_decimal("total_data_mb") if summary else None,
        total_data_gb=summary.optional_decimal("total_data_gb") if summary else None,
        avg_daily_mb=summary.optional_decimal("avg_daily_mb") if summary else None,
        avg_daily_gb=summary.optional_decimal("avg_daily_gb") if summary else None,
        daily_usage=daily,
        by_country=by_country,
    )


def parse_webhook_settings(data: JsonObject) -> WebhookSettings:
    """Read the settings from ``data`` or from its ``webhook`` object, as sent."""
    webhook = data.optional_object("webhook") or data
    deliveries = data.objects(data.first_name("recent_deliveries", "deliveries"), required=False)
    return WebhookSettings(
        url=webhook.optional_text(webhook.first_name("webhook_url", "url")),
        events=webhook.texts("events"),
        secret=webhook.optional_text("secret"),
        recent_deliveries=tuple(dict(delivery.raw) for delivery in deliveries),
    )


def _identifiers(data: JsonObject, name: str) -> tuple[str, ...]:
    # The vendor lists ICCIDs; a count or objects are accepted too and kept as text.
    raw = data.raw.get(name)
    if isinstance(raw, list):
        return tuple(
            str(item.get("iccid", item)) if isinstance(item, dict) else str(item) for item in raw
        )
    return ()


def _credited(data: JsonObject) -> bool:
    raw = data.raw.get("balance_credited")
    if isinstance(raw, bool):
        return raw
    return data.optional_decimal("balance_credited") is not None
