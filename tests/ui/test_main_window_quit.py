"""The main window requests a quit, with the reason, instead of closing at once."""

from __future__ import annotations

from esimfly_desktop.ui.main_window import MainWindow


def make_window(qtbot) -> MainWindow:
    window = MainWindow(lambda package: package.cost, is_training=True)
    qtbot.addWidget(window)
    window.show()
    return window


def test_quit_command_names_itself(qtbot):
    window = make_window(qtbot)

    with qtbot.waitSignal(window.close_requested, timeout=2000) as blocker:
        window.quit_action.trigger()

    assert blocker.args == ["Quit command"]
    assert window.isVisible()


def test_closing_window_requests_quit(qtbot):
    window = make_window(qtbot)

    with qtbot.waitSignal(window.close_requested, timeout=2000) as blocker:
        window.close()

    assert blocker.args == ["window closed"]
    assert window.isVisible()
