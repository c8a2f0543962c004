"""``esimfly-desktop --self-check``: prove that an installation or bundle works.

It runs headless, checks every resource, translation and Qt plugin the console
needs, tries the OS keyring, then starts the bundled training sandbox, places
one training order end to end and decodes the QR code the console would show.
It prints one line per check and a summary, and returns 0 only when all pass.
"""

from __future__ import annotations

import asyncio
import gettext
import logging
import os
import platform
import sys
import tempfile
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from esimfly_desktop import __version__
from esimfly_desktop.resource_files import resources_dir, translations_dir

log = logging.getLogger(__name__)

SHIPPED_LANGUAGES = ("ar", "es", "fr")
KEYRING_TEST_SERVICE = "esimfly-desktop-self-check"


@dataclass
class CheckResult:
    name: str
    passed: bool
    detail: str


def check_resources() -> str:
    files = [path for path in resources_dir().rglob("*") if path.is_file()]
    if not files:
        raise RuntimeError(f"no resource files in {resources_dir()}")
    for path in files:
        path.read_bytes()

    from PySide6.QtGui import QIcon

    icon = QIcon(str(resources_dir() / "icons" / "esimfly-desktop.svg"))
    if icon.isNull() or icon.pixmap(64, 64).isNull():
        raise RuntimeError("the SVG application icon does not render")
    return f"{len(files)} files readable, SVG icon renders"


def check_translations() -> str:
    loaded = []
    for language in SHIPPED_LANGUAGES:
        catalog = gettext.translation(
            "esimfly_desktop", localedir=str(translations_dir()), languages=[language]
        )
        if not isinstance(catalog, gettext.GNUTranslations):
            raise RuntimeError(f"no compiled catalog for {language}")
        loaded.append(language)

    from PySide6.QtCore import QLibraryInfo, QTranslator

    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in SHIPPED_LANGUAGES:
        translator = QTranslator()
        if not translator.load(f"qtbase_{language}", qt_folder):
            raise RuntimeError(f"Qt's own catalog qtbase_{language} is missing from {qt_folder}")
    return f"console catalogs {', '.join(loaded)}; Qt catalogs {', '.join(SHIPPED_LANGUAGES)}"


def check_qt_plugins() -> str:
    from PySide6.QtGui import QGuiApplication, QImageReader, QPageSize, QPdfWriter
    from PySide6.QtNetwork import QNetworkInformation

    platform_name = QGuiApplication.platformName()
    formats = {bytes(name).decode() for name in QImageReader.supportedImageFormats()}
    for required in ("png", "svg"):
        if required not in formats:
            raise RuntimeError(f"image format plugin {required!r} missing")

    with tempfile.TemporaryDirectory() as folder:
        writer = QPdfWriter(str(Path(folder) / "probe.pdf"))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        del writer

    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)

    backends = QNetworkInformation.availableBackends()
    return (
        f"platform {platform_name}; image formats png, svg; print support; "
        f"network information backends: {', '.join(backends) or 'none on this system'}"
    )


def check_keyring() -> str:
    import keyring

    from esimfly_desktop.services.keyring_backends import describe_unusable_backend

    backend = keyring.get_keyring()
    problem = describe_unusable_backend(backend)
    if problem is not None:
        return f"not available here ({problem}); the console will ask for the secret per session"

    entry = f"probe-{uuid.uuid4()}"
    keyring.set_password(KEYRING_TEST_SERVICE, entry, "self-check")
    try:
        if keyring.get_password(KEYRING_TEST_SERVICE, entry) != "self-check":
            raise RuntimeError("the keyring did not return the test entry")
    finally:
        keyring.delete_password(KEYRING_TEST_SERVICE, entry)
    return f"{type(backend).__name__}: test entry created, read back and removed"


async def _training_sale(data_dir: Path) -> str:
    from esimfly_desktop.api import Credentials, EsimflyClient
    from esimfly_desktop.qr_decode import decode_qr_codes
    from esimfly_desktop.sandbox.launcher import SandboxProcess
    from esimfly_desktop.ui.qr import QrCodeWidget

    sandbox = await SandboxProcess.async_start(data_dir)
    try:
        info = sandbox.info
        credentials = Credentials(info.access_code, info.secret)
        async with EsimflyClient(info.base_url, credentials) as client:
            page = await client.list_packages(search="Japan", limit=50)
            package = next(p for p in page.packages if p.provider != "Kestrel Mobile")
            order = await client.create_order(
                package.package_code, 1, str(uuid.uuid4()), price=package.cost
            )
        if not order.esims:
            raise RuntimeError(f"order {order.order_reference} returned no eSIM")
        lpa = order.esims[0].lpa_string
        widget = QrCodeWidget()
        widget.set_lpa_string(lpa)
        decoded = decode_qr_codes(widget.render_image(600, 1.0))
        if decoded != [lpa]:
            raise RuntimeError("the rendered QR code does not decode to the order's LPA string")
        return f"order {order.order_reference} placed; its QR decodes to the LPA string"
    finally:
        sandbox.stop()


def check_training_sale() -> str:
    with tempfile.TemporaryDirectory(prefix="esimfly-self-check-") as folder:
        return asyncio.run(_training_sale(Path(folder)))


def run_checks(checks: list[tuple[str, Callable[[], str]]]) -> list[CheckResult]:
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as error:  # every failure is reported, none ends the run
            log.debug("Self-check %s failed:\n%s", name, traceback.format_exc())
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}"))
    return results


def run_self_check() -> int:
    """Run every check, print the report and return the process exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication([sys.argv[0]])
    print(f"eSIMfly Desktop {__version__} self-check")
    print(
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}, "
        f"{platform.system()} {platform.machine()}"
        + (", frozen bundle" if getattr(sys, "frozen", False) else "")
    )

    results = run_checks(
        [
            ("resources", check_resources),
            ("translations", check_translations),
            ("Qt plugins", check_qt_plugins),
            ("keyring", check_keyring),
            ("training sale", check_training_sale),
        ]
    )
    for result in results:
        print(f"[{'ok' if result.passed else 'FAILED'}] {result.name}: {result.detail}")

    failed = [result.name for result in results if not result.passed]
    print("self-check passed" if not failed else f"self-check failed: {', '.join(failed)}")
    del application
    return 1 if failed else 0
