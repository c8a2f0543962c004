"""One row per purchase step: its name, state, time and message."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from esimfly_desktop.i18n import N_
from esimfly_desktop.services.purchase import Step, StepChange, StepState
from esimfly_desktop.ui.sale_formatting import format_clock

STEP_NAMES = {
    Step.CHECKING: N_("Checking price and balance"),
    Step.PLACING: N_("Placing the order"),
    Step.WAITING: N_("Waiting for the eSIM details"),
    Step.READY: N_("Ready: QR code"),
}
NOT_STARTED = N_("Not started")
STATE_NAMES = {
    StepState.RUNNING: N_("In progress…"),
    StepState.DONE: N_("Done"),
    StepState.FAILED: N_("Failed"),
    StepState.QUEUED: N_("Queued"),
    StepState.CANCELLED: N_("Stopped waiting"),
}
STATE_SYMBOLS = {
    None: "○",
    StepState.RUNNING: "◔",
    StepState.DONE: "✓",
    StepState.FAILED: "✗",
    StepState.QUEUED: "⏸",
    StepState.CANCELLED: "⏸",
}


class StepRows(QWidget):
    """The four steps of a purchase in a grid, updated from ``StepChange`` events."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._states: dict[Step, StepState | None] = {}
        self._labels: dict[Step, tuple[QLabel, QLabel, QLabel, QLabel, QLabel]] = {}

        grid = QGridLayout(self)
        for row, step in enumerate(Step):
            labels = (
                QLabel(STATE_SYMBOLS[None], self),
                QLabel(str(STEP_NAMES[step]), self),
                QLabel(str(NOT_STARTED), self),
                QLabel(self),
                QLabel(self),
            )
            labels[4].setWordWrap(True)
            for column, label in enumerate(labels):
                grid.addWidget(label, row, column)
            labels[1].setAccessibleName(str(STEP_NAMES[step]))
            self._labels[step] = labels
            self._states[step] = None
        grid.setColumnStretch(4, 1)

    def apply(self, change: StepChange) -> None:
        """Show ``change`` on its step's row."""
        symbol, _name, state, time_label, message = self._labels[change.step]
        self._states[change.step] = change.state
        symbol.setText(STATE_SYMBOLS[change.state])
        state.setText(str(STATE_NAMES[change.state]))
        time_label.setText(format_clock(datetime.fromtimestamp(change.at).astimezone()))
        message.setText(change.message)

    def state_of(self, step: Step) -> StepState | None:
        return self._states[step]

    def state_text(self, step: Step) -> str:
        return self._labels[step][2].text()

    def message_of(self, step: Step) -> str:
        return self._labels[step][4].text()
