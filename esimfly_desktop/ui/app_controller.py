"""The console's composition root: opens a profile, wires services to the window, shuts down.

The window is shown before anything slow starts, so the operator sees the
cached catalog and balance at once while the training sandbox starts and
fresh data loads in the background.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from esimfly_desktop.i18n import N_, LazyString, _
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.services.pricing import retail_price
from esimfly_desktop.services.settings import Environment, Settings, SettingsStore
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders
from esimfly_desktop.storage.recovery import RecoveryReport
from esimfly_desktop.ui.async_dialogs import show_message
from esimfly_desktop.ui.controllers.balance_controller import BalanceController
from esimfly_desktop.ui.controllers.catalog_controller import CatalogController
from esimfly_desktop.ui.controllers.profile_session import (
    ProfileSession,
    open_live_session,
    open_profile_database,
    open_training_session,
)
from esimfly_desktop.ui.error_dialog import ErrorReporter
from esimfly_desktop.ui.geometry import SavedGeometry, capture_geometry, restore_geometry
from esimfly_desktop.ui.main_window import MainWindow

# The modules below serve the connected profile and the selling screens. They
# are imported after the first paint of the cached catalog (the API client and
# httpx, the keyring, the outbox, Qt's network module), so the window shows sooner.
if TYPE_CHECKING:
    from esimfly_desktop.api.models import Balance, Package
    from esimfly_desktop.services.connectivity import Connectivity, ConnectivityState
    from esimfly_desktop.services.outbox import ItemSettled
    from esimfly_desktop.services.purchase import PurchaseOutcome
    from esimfly_desktop.services.secrets import SecretStore
    from esimfly_desktop.ui.controllers.network_watch import NetworkWatch
    from esimfly_desktop.ui.controllers.sales_screens import SalesScreens
    from esimfly_desktop.ui.training import TrainingMenu

log = logging.getLogger(__name__)

# Everything after the quit request must finish within this many seconds.
SHUTDOWN_DEADLINE_S = 8.0

# Keyed by ConnectivityState's names; that module loads after the first paint.
_CONNECTIVITY_TEXTS: dict[str, LazyString] = {
    "OFFLINE": N_("Offline: orders are queued and sent when the service is back"),
    "DEGRADED": N_("Service slow or rate-limited"),
}


@dataclass(frozen=True)
class StartOptions:
    """Values prepared by ``app.run`` before the event loop starts."""

    is_training: bool
    folders: DataFolders
    settings_store: SettingsStore
    settings: Settings
    settings_problem: str | None = None


class AppController(QObject):
    """Owns the main window and the open profile for the whole run."""

    profile_opened = Signal(object)  # ProfileSession
    purchase_requested = Signal(object)  # Package, before the order dialog opens

    def __init__(self, options: StartOptions) -> None:
        super().__init__()
        # The run ends when the quit future resolves, not when the last window
        # closes: Qt's automatic quit would stop the qasync loop mid-shutdown.
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.setQuitOnLastWindowClosed(False)
        self.options = options
        self.settings = options.settings
        self.folders = options.folders
        self.is_training = options.is_training or (
            self.settings.environment is Environment.TRAINING
        )
        self.window = MainWindow(self.retail_price, is_training=self.is_training)
        self.error_reporter = ErrorReporter(lambda: self.window)
        self._secret_store: SecretStore | None = None
        self.session: ProfileSession | None = None
        self.catalog: CatalogController | None = None
        self.balance: BalanceController | None = None
        self.connectivity: Connectivity | None = None
        self.network_watch: NetworkWatch | None = None
        self.training_menu: TrainingMenu | None = None
        self.sales: SalesScreens | None = None
        # A database opened for the cached view whose profile never finished opening.
        self._unattached_database: Database | None = None
        self._quit: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tasks: set[asyncio.Task[object]] = set()
        self._shutdown_done = False

        self.window.close_requested.connect(self.request_quit)
        self.window.refresh_requested.connect(self.refresh)
        self.window.settings_requested.connect(self.open_settings)
        self.window.buy_requested.connect(self._on_buy_requested)

    @property
    def secret_store(self) -> SecretStore:
        """The keyring access for live profiles, created on first use."""
        if self._secret_store is None:
            from esimfly_desktop.services.secrets import SecretStore

            self._secret_store = SecretStore()
        return self._secret_store

    # Start-up -----------------------------------------------------------

    def install_error_reporter(self, loop: asyncio.AbstractEventLoop) -> None:
        self.error_reporter.install(loop)

    async def start(self) -> None:
        """Show the window at once, then open the profile and load data in the background."""
        stored = self.settings.window_geometry or b""
        saved = SavedGeometry.from_json(stored.decode("utf-8", errors="replace"))
        restore_geometry(self.window, saved)
        self.window.show()
        self.window.catalog_view.focus_search()
        log.info("Main window shown")
        if self.options.settings_problem:
            self.window.show_status(self.options.settings_problem)

        self._keep(asyncio.ensure_future(self._open_profile()))

    async def _open_profile(self) -> None:
        if self.is_training:
            # Cached data first, so the window is useful before the sandbox is up.
            folder = self.folders.profile(TRAINING_PROFILE)
            database, recovery = await open_profile_database(folder)
            self._unattached_database = database
            self._report_recovery(recovery)
            await self._show_cached(database)
            self.window.show_status(_("Starting the training service…"))
            session = await open_training_session(self.folders, database)
        else:
            opened = await self._open_live_profile()
            if opened is None:
                return
            session = opened
            self._report_recovery(session.recovery)
        await self._attach(session)

    def _report_recovery(self, report: RecoveryReport | None) -> None:
        """Tell the operator, without blocking, that a damaged database was replaced."""
        if report is None:
            return
        self.window.show_status(report.message())
        self._keep(
            asyncio.ensure_future(
                show_message(
                    self.window,
                    _("Database recovered"),
                    report.message(),
                    icon=QMessageBox.Icon.Warning,
                )
            )
        )

    async def _open_live_profile(self) -> ProfileSession | None:
        from esimfly_desktop.ui.first_run import open_live_profile_or_switch

        session = await open_live_profile_or_switch(self)
        return session

    async def _show_cached(self, database: Database) -> None:
        """Show the catalog and balance stored by earlier runs of this profile."""
        self.catalog = CatalogController(
            self.window.catalog_view,
            CatalogStore(database),
            interval=timedelta(hours=self.settings.catalog_refresh_hours),
        )
        self.catalog.status_message.connect(self.window.show_status)
        self.balance = BalanceController(
            self.window.balance_widget, self.settings.low_balance_threshold
        )
        await self.catalog.show_cached()
        await self.balance.show_stored(database)

    async def _attach(self, session: ProfileSession) -> None:
        """Wire the opened profile's services into the window and start background work."""
        self.session = session
        self._unattached_database = None
        if self.catalog is None or self.balance is None:
            await self._show_cached(session.database)
        assert self.catalog is not None and self.balance is not None
        from esimfly_desktop.services.balance import BalanceService
        from esimfly_desktop.services.connectivity import Connectivity
        from esimfly_desktop.ui.controllers.network_watch import NetworkWatch

        self.catalog.connect_client(session.client)
        await self.balance.attach(BalanceService(session.database, session.client))

        self.connectivity = Connectivity(session.client)
        self.connectivity.state_changed.subscribe(self._on_connectivity_changed)
        self.network_watch = NetworkWatch(self.connectivity.notify_network_changed, self)
        session.outbox.follow_connectivity(self.connectivity)
        session.outbox.item_settled.subscribe(self._on_item_settled)
        session.outbox.start()

        # Imported here, after the first paint: the selling screens' modules
        # (purchase, history, printing, customer display) take 40-70 ms to import.
        from esimfly_desktop.ui.controllers.sales_screens import SalesScreens

        self.sales = SalesScreens(
            self.window,
            session,
            operator_name=lambda: self.settings.operator_name,
            customer_language=self.settings.customer_display_language,
            current_balance=self.current_balance,
            on_order_finished=self._on_purchase_finished,
            connectivity=self.connectivity,
        )
        self._keep(asyncio.ensure_future(self.sales.start()))
        if session.is_training:
            self._add_training_menu(session)

        self.balance.refresh()
        self.catalog.refresh()
        self.catalog.start_periodic()
        self.balance.start_periodic()
        self.profile_opened.emit(session)
        log.info("Profile %s ready", session.name)

    def _add_training_menu(self, session: ProfileSession) -> None:
        from esimfly_desktop.ui.training import TrainingMenu

        self.training_menu = TrainingMenu(
            session.sandbox_admin, session.access_code, self.selected_iccid, self.window
        )
        self.training_menu.action_done.connect(self.window.show_status)
        self.training_menu.action_failed.connect(self.window.show_status)
        self.training_menu.action_done.connect(lambda _message: self.balance_refresh())
        self.window.add_menu(self.training_menu)
        self.training_menu.show_sandbox_state()

    def switch_to_training(self) -> None:
        """Turn this run into a training run (first-run choice): banner and title change."""
        self.is_training = True
        self.window.set_training(True)

    # Operator commands --------------------------------------------------

    def refresh(self) -> None:
        """F5: sync the catalog and refresh the balance now."""
        if self.catalog is None:
            return
        self.catalog.refresh()
        self.balance_refresh()

    def balance_refresh(self) -> None:
        if self.balance is not None:
            self.balance.refresh()

    def open_settings(self) -> None:
        from esimfly_desktop.ui.settings_dialog import edit_settings

        self._keep(asyncio.ensure_future(edit_settings(self)))

    async def apply_settings(self, settings: Settings) -> None:
        """Save ``settings`` and apply the ones that take effect at once."""
        await self.options.settings_store.save(settings)
        self.settings = settings
        self.window.catalog_view.set_retail_price(self.retail_price)
        if self.balance is not None:
            self.balance.set_threshold(settings.low_balance_threshold)
        if self.catalog is not None:
            self.catalog.set_interval(timedelta(hours=settings.catalog_refresh_hours))

    def retail_price(self, package: Package) -> Decimal:
        return retail_price(package.cost, package.currency, self.settings.markup)

    def selected_iccid(self) -> str | None:
        return self.sales.selected_iccid() if self.sales is not None else None

    def current_balance(self) -> Balance | None:
        """Return the last confirmed balance for the order dialog, or None before any."""
        service = self.balance.service if self.balance is not None else None
        confirmed = service.current if service is not None else None
        if confirmed is None:
            return None
        from esimfly_desktop.api.models import Balance

        return Balance(confirmed.amount, confirmed.currency)

    def _on_buy_requested(self, package: Package) -> None:
        log.info("Purchase requested for package %s", package.package_code)
        self.purchase_requested.emit(package)
        if self.sales is None:
            self.window.show_status(_("Not connected yet: wait until the account is connected."))
            return
        self.sales.buy(package)

    def _on_purchase_finished(self, outcome: PurchaseOutcome) -> None:
        # A placed order reports its balance through the outbox's settled event;
        # a rejected one (insufficient balance, changed price) is checked here.
        from esimfly_desktop.services.purchase import PurchaseState

        if outcome.state is PurchaseState.FAILED:
            self.balance_refresh()

    def _on_item_settled(self, settled: ItemSettled) -> None:
        """Show the balance after each finished order, direct or queued."""
        from esimfly_desktop.services.outbox_sender import SendResult

        if settled.outcome.result is not SendResult.DONE or self.balance is None:
            return

        result = settled.outcome.order_result
        # A repeat returns the original order with that order's old newBalance,
        # and pending orders and top-ups carry none, so the balance is requested.
        if result is None or result.duplicate or result.new_balance is None or not result.currency:
            self.balance_refresh()
            return
        self.balance.record_order_balance(result.new_balance, result.currency)

    def _on_connectivity_changed(self, state: ConnectivityState) -> None:
        text = _CONNECTIVITY_TEXTS.get(state.name)
        self.window.set_connectivity_text(str(text) if text is not None else "")

    # Shutdown -----------------------------------------------------------

    def request_quit(self, reason: str = "") -> None:
        """Ask the run to end (window closed, Quit, SIGINT or SIGTERM)."""
        log.info("Quit requested (%s)", reason or "no reason given")
        if not self._quit.done():
            self._quit.set_result(None)

    async def wait_for_quit(self) -> None:
        await self._quit

    async def shutdown(self) -> None:
        """Stop background work and close the profile in reverse order, within the deadline."""
        if self._shutdown_done:
            return
        self._shutdown_done = True
        log.info("Shutting down")

        try:
            await asyncio.wait_for(self._close_everything(), SHUTDOWN_DEADLINE_S)
        except TimeoutError:
            log.error("Shutdown took longer than %.0f s; exiting anyway", SHUTDOWN_DEADLINE_S)
        finally:
            self.error_reporter.uninstall()
            self.window.allow_close = True
            self.window.close()
            self.window.deleteLater()

    async def _close_everything(self) -> None:
        await self._save_window_geometry()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.training_menu is not None:
            for task in list(self.training_menu.pending_tasks):
                task.cancel()
        if self.sales is not None:
            self.sales.close()
        if self.catalog is not None:
            await self.catalog.stop()
        if self.balance is not None:
            await self.balance.stop()
        if self.connectivity is not None:
            await self.connectivity.close()
        if self.session is not None:
            await self.session.close()
        elif self._unattached_database is not None:
            await asyncio.to_thread(self._unattached_database.close)

    async def _save_window_geometry(self) -> None:
        geometry = capture_geometry(self.window).to_json().encode()
        if geometry == self.settings.window_geometry:
            return  # the file already contains this position and size
        self.settings = replace(self.settings, window_geometry=geometry)
        try:
            await self.options.settings_store.save(self.settings)
        except OSError as error:
            log.warning("Window position not saved: %s", error)

    def _keep(self, task: asyncio.Task[object]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._report_failure)

    def _report_failure(self, task: asyncio.Task[object]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        assert error is not None
        self.error_reporter.handle_exception(type(error), error, error.__traceback__)


__all__ = ["AppController", "StartOptions", "open_live_session"]
