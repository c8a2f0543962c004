"""The purchase's progress, step by step, ending with the QR codes or the next action."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esimfly_desktop.api.errors import EsimflyError
from esimfly_desktop.i18n import _
from esimfly_desktop.i18n.bidi import keep_ltr
from esimfly_desktop.i18n.error_messages import describe_error
from esimfly_desktop.services.purchase import (
    PurchaseOutcome,
    PurchaseRequest,
    PurchaseState,
    Step,
    StepChange,
    StepState,
)
from esimfly_desktop.ui.purchase.step_rows import StepRows
from esimfly_desktop.ui.qr.esim_card import EsimCard
from esimfly_desktop.ui.qr.hand_off import HandOff, hand_offs_from_order
from esimfly_desktop.ui.sale_formatting import format_money


class PurchaseProgressView(QWidget):
    """Steps with state and time; then the eSIM cards, or what went wrong and what to do."""

    retry_requested = Signal(object)  # PurchaseRequest
    change_quantity_requested = Signal(object)  # PurchaseRequest
    load_balance_requested = Signal()
    stop_waiting_requested = Signal()
    show_to_customer_requested = Signal(object)  # HandOff
    print_requested = Signal(object)  # HandOff
    print_notice_requested = Signal(object)  # PurchaseOutcome
    closed = Signal()

    def __init__(self, request: PurchaseRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.request = request
        self.outcome: PurchaseOutcome | None = None
        self.setWindowTitle(_("Buying {package}").format(package=request.package_name))

        self.title_label = QLabel(
            _("{quantity} × {package}").format(
                quantity=request.quantity, package=request.package_name
            ),
            self,
        )
        self.steps = StepRows(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cards = QTabWidget(self)
        self.cards.setVisible(False)

        self.retry_button = self._button(_("Try again"), lambda: self.retry_requested.emit(request))
        self.change_quantity_button = self._button(
            _("Change quantity"), lambda: self.change_quantity_requested.emit(request)
        )
        self.load_balance_button = self._button(
            _("Load balance…"), self.load_balance_requested.emit
        )
        self.print_notice_button = self._button(
            _("Print notice for the customer"),
            lambda: self.print_notice_requested.emit(self.outcome),
        )
        self.stop_waiting_button = self._button(_("Stop waiting"), self.stop_waiting_requested.emit)
        self.close_button = self._button(_("Close"), self.close)
        self._show_actions()
        self.stop_waiting_button.setVisible(False)

        self._lay_out()
        # Escape closes the view; a pending order keeps being polled in the background.
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (
            self.retry_button,
            self.change_quantity_button,
            self.load_balance_button,
            self.print_notice_button,
            self.stop_waiting_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.steps)
        layout.addWidget(self.message_label)
        layout.addWidget(self.cards, 1)
        layout.addLayout(actions)

    def apply_step(self, change: StepChange) -> None:
        """Show one step's new state; the waiting step can be left to run in the background."""
        self.steps.apply(change)
        waiting = change.step is Step.WAITING and change.state is StepState.RUNNING
        self.stop_waiting_button.setVisible(waiting)
        if waiting:
            self.message_label.setText(
                _(
                    "The network is preparing the eSIM. You can close this window: "
                    "the order appears in history and you are notified when it is ready."
                )
            )

    def show_outcome(self, outcome: PurchaseOutcome) -> None:
        """Show the eSIMs, or the failure with the actions that can fix it."""
        self.outcome = outcome
        self.stop_waiting_button.setVisible(False)
        self.message_label.setText(self._message_for(outcome))

        if outcome.state is PurchaseState.READY and outcome.order is not None:
            self._show_cards(hand_offs_from_order(outcome.order))
            self._show_actions()
        elif outcome.state is PurchaseState.FAILED:
            short_of_funds = outcome.need_to_load is not None
            self._show_actions(
                retry=not short_of_funds and not _may_be_queued(outcome),
                change_quantity=short_of_funds,
                load_balance=short_of_funds,
            )
        elif outcome.state is PurchaseState.QUEUED:
            self._show_actions(print_notice=True)
        else:
            self._show_actions()

    def _message_for(self, outcome: PurchaseOutcome) -> str:
        # A service error has a translated message that states what to do next.
        if _may_be_queued(outcome):
            return "\n".join(
                (
                    describe_error(outcome.error, currency=self.request.currency),
                    _(
                        "The order may already be queued. Check the outbox and order "
                        "history before ordering again."
                    ),
                )
            )
        if isinstance(outcome.error, EsimflyError):
            return describe_error(outcome.error, currency=self.request.currency)
        if outcome.need_to_load is not None:
            return _(
                "The balance does not cover this order. Load at least {amount}, "
                "or lower the quantity, then try again."
            ).format(amount=keep_ltr(format_money(outcome.need_to_load, self.request.currency)))
        return outcome.message

    def _show_actions(
        self,
        *,
        retry: bool = False,
        change_quantity: bool = False,
        load_balance: bool = False,
        print_notice: bool = False,
    ) -> None:
        self.retry_button.setVisible(retry)
        self.change_quantity_button.setVisible(change_quantity)
        self.load_balance_button.setVisible(load_balance)
        self.print_notice_button.setVisible(print_notice)

    def _show_cards(self, hand_offs: list[HandOff]) -> None:
        self.cards.clear()
        for number, hand_off in enumerate(hand_offs, start=1):
            card = EsimCard(self.cards)
            card.set_hand_off(hand_off)
            card.show_to_customer_requested.connect(self.show_to_customer_requested)
            card.print_requested.connect(self.print_requested)
            self.cards.addTab(card, _("eSIM {number}").format(number=number))
        self.cards.setVisible(bool(hand_offs))

    def esim_cards(self) -> list[EsimCard]:
        return [self.cards.widget(index) for index in range(self.cards.count())]

    def mark_installed(self, iccid: str) -> None:
        for card in self.esim_cards():
            if card.hand_off is not None and card.hand_off.iccid == iccid:
                card.mark_installed()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides the view: a pending order keeps being polled.
        self.closed.emit()
        super().closeEvent(event)


def _may_be_queued(outcome: PurchaseOutcome) -> bool:
    # The flow returns the outbox item whenever the order's fate is settled; an
    # error without one was raised part-way, possibly after the item was queued.
    return outcome.error is not None and outcome.outbox_item_id is None
