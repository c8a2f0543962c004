"""The content of a printed receipt or outage notice, with no prices or balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from esimfly_desktop.i18n import _
from esimfly_desktop.ui.qr.esim_card import describe_allowance
from esimfly_desktop.ui.qr.hand_off import HandOff
from esimfly_desktop.ui.sale_formatting import format_time


@dataclass(frozen=True)
class PrintedDocument:
    """A title, labelled rows, an optional QR code and closing paragraphs."""

    title: str
    rows: tuple[tuple[str, str], ...]
    qr_text: str | None = None
    paragraphs: tuple[str, ...] = field(default_factory=tuple)

    def __repr__(self) -> str:
        # The rows and the QR text carry the activation code: keep them out of logs.
        return f"PrintedDocument(title={self.title!r})"


def build_receipt(hand_off: HandOff, *, printed_at: datetime) -> PrintedDocument:
    """Build a customer's receipt: QR code, manual codes and how to install."""
    rows = (
        (_("Plan"), hand_off.package_name),
        (_("Allowance"), describe_allowance(hand_off)),
        (_("Order reference"), hand_off.order_reference),
        (_("ICCID"), hand_off.iccid),
        (_("SM-DP+ address"), hand_off.smdp_address),
        (_("Activation code"), hand_off.matching_id),
        (_("Printed"), format_time(printed_at)),
    )
    paragraphs = (
        _("iPhone: Settings > Mobile Service > Add eSIM > Use QR Code, then scan the code above."),
        _("Android: Settings > Network & internet > SIMs > Add eSIM, then scan the code above."),
        _("The QR code works once. Keep this receipt private until the eSIM is installed."),
    )
    return PrintedDocument(_("Your eSIM"), rows, hand_off.lpa_string, paragraphs)


def build_outage_notice(
    *, order_reference: str, package_name: str, quantity: int, queued_at: datetime
) -> PrintedDocument:
    """Build the notice for a customer who bought while the service was unreachable."""
    rows = (
        (_("Order reference"), order_reference),
        (_("Plan"), package_name),
        (_("Quantity"), str(quantity)),
        (_("Ordered"), format_time(queued_at)),
    )
    paragraphs = (
        _(
            "The eSIM service could not be reached when you bought. Your order is "
            "saved and will be sent as soon as the connection returns."
        ),
        _(
            "Come back to the counter with this notice, or call us, and quote the "
            "order reference to receive your eSIM's QR code."
        ),
    )
    return PrintedDocument(_("Order received"), rows, None, paragraphs)
