"""Session-wide test set-up: offscreen Qt, a loopback-only network, shared fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

pytest_plugins = [
    "tests.fixtures.network_guard",
    "tests.fixtures.sandbox",
    "tests.fixtures.keyring_service",
    "tests.fixtures.qt_loop",
    "tests.ui.sale_stack",
]
