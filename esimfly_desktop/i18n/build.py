"""Extract, update and compile the gettext catalogs: ``python -m esimfly_desktop.i18n.build``.

Run from a source checkout. The steps are those of ``pybabel extract``,
``pybabel update`` and ``pybabel compile`` with this project's settings::

    python -m esimfly_desktop.i18n.build extract   # code -> translations/esimfly_desktop.pot
    python -m esimfly_desktop.i18n.build update    # .pot -> translations/<lang>/.../*.po
    python -m esimfly_desktop.i18n.build compile   # .po -> .mo beside it
    python -m esimfly_desktop.i18n.build all       # the three in order
    python -m esimfly_desktop.i18n.build check     # report stale or incomplete catalogs

``update`` keeps every existing translation; new messages arrive empty and
must be translated before ``check`` passes. ``compile`` leaves out fuzzy
messages, so an unreviewed guess never reaches the counter.

To add a language, append its code to ``SHIPPED_LANGUAGES`` here and to
``LANGUAGES`` in ``locale.py`` (with its native name and direction), run
``update``, translate the new ``.po`` file, then run ``compile``. Qt's own
strings are translated only where PySide6 ships ``qtbase_<code>.qm``.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from esimfly_desktop import __version__
from esimfly_desktop.i18n.catalogs import DOMAIN

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"
SHIPPED_LANGUAGES = ("ar", "es", "fr")
# Messages that may read the same as the English text, kept beside the catalog tests.
ALLOWED_UNTRANSLATED = PROJECT_ROOT / "tests" / "i18n" / "allowed_untranslated.txt"
COMMENT_TAGS = ("Translators:",)
LINE_WIDTH = 79

TEMPLATE_HEADER = (
    "# Messages of eSIMfly Desktop, extracted from the code.\n"
    "# Regenerate with: python -m esimfly_desktop.i18n.build extract\n"
    "#"
)
CATALOG_HEADER = (
    "# {language} translations of eSIMfly Desktop.\n"
    "# Update with: python -m esimfly_desktop.i18n.build update\n"
    "#"
)


def catalog_path(language: str, suffix: str = ".po") -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def extract_template(root: Path = PROJECT_ROOT) -> Catalog:
    """Return a template catalog of every message marked in the code under ``root``."""
    with (root / "babel.cfg").open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(mapping, str(root / "babel.cfg"))

    template = Catalog(
        header_comment=TEMPLATE_HEADER,
        project="eSIMfly Desktop",
        version=__version__,
        msgid_bugs_address="eSIMfly Desktop developers",
        charset="utf-8",
        fuzzy=False,
    )
    extracted = extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=DEFAULT_KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, line, message, comments, context in extracted:
        template.add(
            message,
            None,
            [(Path(filename).as_posix(), line)],
            auto_comments=comments,
            context=context,
        )
    return template


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=LINE_WIDTH, include_previous=False)
    return buffer.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def _without_dates(rendered: bytes) -> bytes:
    lines = rendered.splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"POT-Creation-Date'))


def write_template() -> bool:
    """Write the template from the code; return False when nothing but its date changed."""
    rendered = render_po(extract_template())
    if TEMPLATE.exists() and _without_dates(TEMPLATE.read_bytes()) == _without_dates(rendered):
        log.info("%s is up to date", TEMPLATE)
        return False

    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(rendered)
    log.info("Wrote %s", TEMPLATE)
    return True


def update_catalogs(languages: Sequence[str] = SHIPPED_LANGUAGES) -> None:
    """Bring each language's catalog in line with the template, keeping translations."""
    template = read_catalog(TEMPLATE)
    for language in languages:
        path = catalog_path(language)
        if path.exists():
            catalog = read_catalog(path, language)
        else:
            catalog = Catalog(
                locale=language,
                domain=DOMAIN,
                header_comment=CATALOG_HEADER.format(language=Locale.parse(language).english_name),
                msgid_bugs_address="eSIMfly Desktop developers",
                last_translator="eSIMfly Desktop developers",
                language_team=Locale.parse(language).english_name,
                revision_date=datetime.now(UTC),
                charset="utf-8",
                fuzzy=False,
            )
            path.parent.mkdir(parents=True, exist_ok=True)

        # Fuzzy matching would fill new messages with guesses from similar
        # ones; a guess on a payment screen is worse than an empty entry.
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.project = template.project
        catalog.version = template.version
        catalog.obsolete.clear()
        path.write_bytes(render_po(catalog))
        untranslated = sum(1 for message in catalog if message.id and not message.string)
        log.info("Updated %s (%d messages without translation)", path, untranslated)


def compile_catalogs(languages: Sequence[str] = SHIPPED_LANGUAGES) -> None:
    """Compile each ``.po`` into the ``.mo`` that gettext loads."""
    for language in languages:
        catalog = read_catalog(catalog_path(language), language)
        catalog_path(language, ".mo").write_bytes(render_mo(catalog))
        log.info("Compiled %s", catalog_path(language, ".mo"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m esimfly_desktop.i18n.build")
    parser.add_argument("step", choices=("extract", "update", "compile", "all", "check"))
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if arguments.step in ("extract", "all"):
        write_template()
    if arguments.step in ("update", "all"):
        update_catalogs()
    if arguments.step in ("compile", "all"):
        compile_catalogs()
    if arguments.step == "check":
        from esimfly_desktop.i18n import catalog_checks

        allowed = None
        if ALLOWED_UNTRANSLATED.exists():
            allowed = catalog_checks.read_allowed_untranslated(ALLOWED_UNTRANSLATED)
        problems = catalog_checks.find_catalog_problems(allowed_untranslated=allowed)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
