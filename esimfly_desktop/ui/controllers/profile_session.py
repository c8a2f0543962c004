"""One profile's open resources: training sandbox, API client, database and services.

Opening runs the blocking parts (database, child process) off the GUI thread.
Closing runs the same steps in reverse, each bounded in time, so a stuck step
cannot keep the process from exiting.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from esimfly_desktop.api.signing import Credentials
from esimfly_desktop.services.catalog_store import CatalogStore
from esimfly_desktop.storage.database import Database
from esimfly_desktop.storage.paths import TRAINING_PROFILE, DataFolders, ProfileFolder
from esimfly_desktop.storage.recovery import RecoveryReport, open_or_recover_async

if TYPE_CHECKING:
    from esimfly_desktop.api.client import EsimflyClient
    from esimfly_desktop.services.outbox import Outbox

log = logging.getLogger(__name__)

STEP_TIMEOUT_S = 3.0


@dataclass
class ProfileSession:
    """The resources of the profile in use; ``close()`` releases them in reverse order."""

    name: str
    folder: ProfileFolder
    base_url: str
    access_code: str
    client: EsimflyClient
    database: Database
    catalog_store: CatalogStore
    outbox: Outbox
    sandbox: Any | None = None  # SandboxProcess in training
    sandbox_admin: Any | None = None  # SandboxAdmin in training
    recovery: RecoveryReport | None = None  # set when a damaged database was moved aside
    _closed: bool = field(default=False, repr=False)

    @property
    def is_training(self) -> bool:
        return self.sandbox is not None

    async def close(self) -> None:
        """Stop the outbox, close the client and database, and stop the sandbox child."""
        if self._closed:
            return
        self._closed = True

        await _bounded("outbox", self.outbox.stop())
        await _bounded("API client", self.client.aclose())
        if self.sandbox_admin is not None and hasattr(self.sandbox_admin, "aclose"):
            await _bounded("sandbox admin client", self.sandbox_admin.aclose())
        await _bounded("database", asyncio.to_thread(self.database.close))
        if self.sandbox is not None:
            await _bounded("training sandbox", asyncio.to_thread(self.sandbox.stop))
        log.info("Profile %s closed", self.name)


async def _bounded(resource: str, step: Any) -> None:
    try:
        await asyncio.wait_for(step, STEP_TIMEOUT_S)
    except TimeoutError:
        log.error(
            "Closing the %s timed out after %.0f s; continuing shutdown", resource, STEP_TIMEOUT_S
        )
    except Exception:
        log.exception("Closing the %s failed; continuing shutdown", resource)


async def open_profile_database(folder: ProfileFolder) -> tuple[Database, RecoveryReport | None]:
    """Open a profile's database, so its cached data can show before any connection.

    A damaged database is moved aside and replaced by a new one holding what
    could be read from it; the report lists what was kept, for the operator.
    """
    database, report = await open_or_recover_async(folder.database)
    if report is not None:
        log.warning(
            "Database of %s was damaged; moved to %s, kept %s",
            folder.path,
            report.moved_to,
            report.kept_rows,
        )
    return database, report


async def open_training_session(
    folders: DataFolders, database: Database | None = None
) -> ProfileSession:
    """Start the training sandbox as a child process and open the training profile.

    ``database`` is the training profile's database when the caller opened it already.
    """
    from esimfly_desktop.sandbox.admin_client import SandboxAdmin
    from esimfly_desktop.sandbox.launcher import SandboxProcess

    folder = folders.profile(TRAINING_PROFILE)
    log.info("Starting the training sandbox in %s", folder.sandbox_data)
    sandbox = await SandboxProcess.async_start(folder.sandbox_data)
    try:
        info = sandbox.info
        credentials = Credentials(info.access_code, info.secret)
        session = await _open(TRAINING_PROFILE, folder, info.base_url, credentials, database)
    except BaseException:
        await sandbox.async_stop()
        raise

    session.sandbox = sandbox
    session.sandbox_admin = SandboxAdmin(info.admin_url, info.admin_token)
    return session


async def open_live_session(
    folders: DataFolders,
    profile: str,
    base_url: str,
    credentials: Credentials,
    database: Database | None = None,
) -> ProfileSession:
    """Open a live account's profile; the caller has loaded its credentials."""
    return await _open(profile, folders.profile(profile), base_url, credentials, database)


async def _open(
    name: str,
    folder: ProfileFolder,
    base_url: str,
    credentials: Credentials,
    database: Database | None,
) -> ProfileSession:
    # Imported here: the client brings httpx, which the cached first paint does without.
    from esimfly_desktop.api.client import EsimflyClient
    from esimfly_desktop.services.outbox import Outbox

    recovery = None
    if database is None:
        database, recovery = await open_profile_database(folder)
    client = await EsimflyClient.open(base_url, credentials)
    outbox = Outbox(database, client)
    log.info("Profile %s opened against %s", name, base_url)
    return ProfileSession(
        name=name,
        folder=folder,
        base_url=base_url,
        access_code=credentials.access_code,
        client=client,
        database=database,
        catalog_store=CatalogStore(database),
        outbox=outbox,
        recovery=recovery,
    )
