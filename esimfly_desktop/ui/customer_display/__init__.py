"""The customer-facing window for a second monitor."""

from esimfly_desktop.ui.customer_display.controller import CustomerDisplayController
from esimfly_desktop.ui.customer_display.display_controls import CustomerDisplayControls
from esimfly_desktop.ui.customer_display.display_window import CustomerDisplayWindow
from esimfly_desktop.ui.customer_display.installation_watcher import InstallationWatcher

__all__ = [
    "CustomerDisplayController",
    "CustomerDisplayControls",
    "CustomerDisplayWindow",
    "InstallationWatcher",
]
