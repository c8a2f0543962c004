"""The whitelist of ``keyring`` backends that count as a real system secret store.

Only the stores that the operating system protects with the user's login are
accepted. The ``null`` and ``fail`` backends, a chainer with nothing real
behind it, and file-based backends such as those of ``keyrings.alt`` are
rejected. Those files are plain text, or encrypted with a password kept next
to them, so another program could read the secret key.
"""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

# Class names as ``module.qualname`` (keyring 25). A subclass from another
# module does not match, so a look-alike backend cannot slip in.
SYSTEM_BACKENDS: frozenset[str] = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)


def backend_name(backend: KeyringBackend) -> str:
    """Return the backend's class as ``module.qualname``, for checks and log lines."""
    backend_class = type(backend)
    return f"{backend_class.__module__}.{backend_class.__qualname__}"


def is_system_backend(backend: KeyringBackend) -> bool:
    """Tell whether ``backend`` is one of the operating system's own secret stores."""
    return backend_name(backend) in SYSTEM_BACKENDS


def find_system_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """Return the system store to use for ``backend``, or None when there is none.

    A chainer is looked through: its first system backend, in keyring's
    priority order, is used on its own, so a write can never fall through to
    a non-system backend chained behind it.
    """
    if isinstance(backend, ChainerBackend):
        for chained in backend.backends:
            if is_system_backend(chained):
                return chained
        return None

    if is_system_backend(backend):
        return backend
    return None


def describe_unusable_backend(backend: KeyringBackend) -> str | None:
    """Return why ``backend`` cannot hold secrets, or None when it is or chains a system store."""
    if find_system_backend(backend) is not None:
        return None
    if isinstance(backend, ChainerBackend):
        chained = ", ".join(backend_name(b) for b in backend.backends) or "nothing"
        return f"{backend_name(backend)} chains no system secret store (only {chained})"
    return f"{backend_name(backend)} is not a system secret store"


def detect_backend() -> KeyringBackend:
    """Return the backend ``keyring`` picks for this user and environment.

    This may talk to D-Bus or read ``keyringrc.cfg``, so call it off the GUI
    thread.
    """
    return keyring.get_keyring()
