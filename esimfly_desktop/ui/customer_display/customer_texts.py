"""Text on the customer display, translated into the customer's language.

The window has its own language, independent of the operator's, so each
message is marked with ``N_`` for extraction and translated with
``translator_for(language)`` instead of ``_``.
"""

from __future__ import annotations

from esimfly_desktop.i18n import N_, LazyString, translator_for

WELCOME = N_("Welcome")
IDLE_HINT = N_("Your eSIM's QR code will appear here.")
SCAN_TITLE = N_("Scan this code with your phone's camera")
MANUAL_TITLE = N_("Or enter the codes by hand")
SMDP_LABEL = N_("SM-DP+ address")
ACTIVATION_LABEL = N_("Activation code")
IPHONE_TITLE = N_("iPhone")
IPHONE_STEPS = N_(
    "1. Open Settings > Mobile Service (or Cellular).\n"
    "2. Tap Add eSIM, then Use QR Code.\n"
    "3. Scan the code and follow the steps."
)
ANDROID_TITLE = N_("Android")
ANDROID_STEPS = N_(
    "1. Open Settings > Network & internet > SIMs.\n"
    "2. Tap Add eSIM (or Download a SIM instead).\n"
    "3. Scan the code and follow the steps."
)
ONCE_WARNING = N_("This code works once. Stay connected to Wi-Fi until the install finishes.")
INSTALLED = N_("Installed. Your eSIM is on your phone.")
LANGUAGE_SWITCH = N_("Language")


def translate(message: LazyString, language: str) -> str:
    """Return ``message`` in ``language``, or in English without a catalog."""
    return translator_for(language).gettext(message.source)
