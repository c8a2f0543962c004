"""The operator's view of the outbox: queued orders and top-ups, and their fate."""

from esimfly_desktop.ui.outbox.order_ready_notice import OrderReadyNotice
from esimfly_desktop.ui.outbox.queue_controller import OutboxQueueController
from esimfly_desktop.ui.outbox.queue_view import OutboxQueueView

__all__ = ["OrderReadyNotice", "OutboxQueueController", "OutboxQueueView"]
