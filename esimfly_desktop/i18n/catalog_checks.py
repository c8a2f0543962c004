"""Checks that keep the shipped catalogs in step with the code and safe to format.

Each check returns a list of problems as sentences naming the language and
the message, so a failing test or ``build check`` names what to fix.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from esimfly_desktop.i18n import build

# A plural form may leave out the number: Arabic writes "two days" as one word
# ("يومان") and "one day" without a digit.
COUNT_FIELDS = frozenset({"count", "n", "number"})


def message_key(message: Message) -> tuple[str | None, str]:
    """Return the identity of a message: its context and its singular text."""
    return (message.context, _as_tuple(message.id)[0])


def _keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {message_key(message) for message in catalog if message.id}


def placeholders(text: str) -> set[str]:
    """Return the ``str.format`` fields in ``text``, with their conversions and specs.

    Raises ``ValueError`` when the braces do not form a valid format string.
    """
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            conversion_part = f"!{conversion}" if conversion else ""
            spec_part = f":{spec}" if spec else ""
            fields.add(f"{{{name}{conversion_part}{spec_part}}}")
    return fields


def _as_tuple(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    # Babel stores a plural message's ids and translations as sequences.
    if value is None:
        return ("",)
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def template_problems(committed: Catalog, extracted: Catalog) -> list[str]:
    """Compare the committed template with a fresh extraction from the code."""
    committed_keys = _keys(committed)
    extracted_keys = _keys(extracted)
    problems = [
        f"template is stale: {text!r} is in the code but not in {build.TEMPLATE.name}"
        for _context, text in sorted(extracted_keys - committed_keys, key=str)
    ]
    problems += [
        f"template is stale: {text!r} is in {build.TEMPLATE.name} but no longer in the code"
        for _context, text in sorted(committed_keys - extracted_keys, key=str)
    ]
    return problems


def completeness_problems(language: str, template: Catalog, catalog: Catalog) -> list[str]:
    """List messages of the template that ``catalog`` lacks, leaves empty or marks fuzzy."""
    problems = []
    for source in template:
        if not source.id:
            continue
        message = catalog.get(source.id, context=source.context)
        text = message_key(source)[1]
        if message is None:
            problems.append(f"{language}: missing message {text!r}")
        elif message.fuzzy:
            problems.append(f"{language}: fuzzy translation of {text!r}")
        elif not all(_as_tuple(message.string)):
            problems.append(f"{language}: no translation for {text!r}")
    return problems


def _placeholder_problem(message: Message, translation: str) -> str | None:
    sources = _as_tuple(message.id)
    allowed = set().union(*(placeholders(source) for source in sources))
    required = placeholders(sources[-1])
    if message.pluralizable:
        required = {field for field in required if field.strip("{}") not in COUNT_FIELDS}

    found = placeholders(translation)
    if found - allowed:
        return f"adds or alters {sorted(found - allowed)}"
    if required - found:
        return f"drops {sorted(required - found)}"
    return None


def placeholder_problems(language: str, catalog: Catalog) -> list[str]:
    """List translations whose ``{placeholders}`` differ from the English text's.

    An added or misspelled placeholder makes ``str.format`` raise at the
    counter; a dropped one hides a value (an amount, an ICCID) from staff.
    """
    problems = []
    for message in catalog:
        if not message.id:
            continue
        source = _as_tuple(message.id)[0]
        for index, translation in enumerate(_as_tuple(message.string)):
            if not translation:
                continue
            try:
                problem = _placeholder_problem(message, translation)
            except ValueError as error:
                problem = f"has invalid braces ({error})"
            if problem:
                problems.append(f"{language}: translation {index} of {source!r} {problem}")
    return problems


def read_allowed_untranslated(path: Path) -> dict[str, set[str]]:
    """Read the messages that may stay in English, per language (``*`` for all).

    One message per line, optionally prefixed ``ar: ``, ``es: `` or ``fr: ``;
    ``#`` starts a comment line.
    """
    allowed: dict[str, set[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        language, separator, rest = line.partition(": ")
        if separator and len(language) == 2 and language.isalpha():
            allowed.setdefault(language, set()).add(rest)
        else:
            allowed.setdefault("*", set()).add(line)
    return allowed


def untranslated_problems(
    language: str, catalog: Catalog, allowed: dict[str, set[str]]
) -> list[str]:
    """List translations that merely repeat the English text."""
    exceptions = allowed.get("*", set()) | allowed.get(language, set())
    problems = []
    for message in catalog:
        if not message.id:
            continue
        for source, translation in zip(
            _as_tuple(message.id), _as_tuple(message.string), strict=False
        ):
            if translation.strip() == source.strip() and source.strip() not in exceptions:
                problems.append(f"{language}: translation repeats the English text {source!r}")
    return problems


def compiled_problems(language: str, po_path: Path, mo_path: Path) -> list[str]:
    """Report a ``.mo`` that is missing or differs from its ``.po`` compiled now."""
    if not mo_path.exists():
        return [f"{language}: {mo_path} is missing; run the compile step"]
    expected = build.render_mo(build.read_catalog(po_path, language))
    if mo_path.read_bytes() != expected:
        return [f"{language}: {mo_path.name} differs from {po_path.name}; run the compile step"]
    return []


def find_catalog_problems(
    languages: Iterable[str] = build.SHIPPED_LANGUAGES,
    allowed_untranslated: dict[str, set[str]] | None = None,
) -> list[str]:
    """Run every check over the committed template and catalogs."""
    template = build.read_catalog(build.TEMPLATE)
    problems = template_problems(template, build.extract_template())
    for language in languages:
        po_path = build.catalog_path(language)
        if not po_path.exists():
            problems.append(f"{language}: {po_path} is missing")
            continue
        catalog = build.read_catalog(po_path, language)
        problems += completeness_problems(language, template, catalog)
        problems += placeholder_problems(language, catalog)
        if allowed_untranslated is not None:
            problems += untranslated_problems(language, catalog, allowed_untranslated)
        problems += compiled_problems(language, po_path, build.catalog_path(language, ".mo"))
    return problems
