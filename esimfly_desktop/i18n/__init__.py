"""Translated text for the console.

Import the marking functions explicitly, never through builtins::

    from esimfly_desktop.i18n import _, ngettext, N_

``_`` and ``ngettext`` translate into the operator's language at call time.
``N_`` marks a module-level constant for extraction and returns a lazy string
that is translated each time it is converted with ``str()``.
"""

from esimfly_desktop.i18n.catalogs import (
    N_,
    LazyString,
    _,
    current_language,
    ngettext,
    set_language,
    translator_for,
)

__all__ = [
    "N_",
    "LazyString",
    "_",
    "current_language",
    "ngettext",
    "set_language",
    "translator_for",
]
