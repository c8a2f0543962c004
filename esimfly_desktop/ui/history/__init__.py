"""Order history: local orders merged with the service's list, details and actions."""

from esimfly_desktop.ui.history.history_controller import HistoryController
from esimfly_desktop.ui.history.history_view import OrderHistoryView
from esimfly_desktop.ui.history.order_details import OrderDetailsPanel

__all__ = ["HistoryController", "OrderDetailsPanel", "OrderHistoryView"]
