"""Translatable text is marked so extraction finds it and translation happens at run time.

Babel extracts only string literals, so a marked f-string or variable is
never translated. A ``_()`` call at import time runs before the operator's
language is set and never follows a switch; module constants use ``N_``.
Positional placeholders (``{}``, ``{0}``) give translators no hint and
cannot be reordered safely, so every placeholder has a name.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from esimfly_desktop.i18n import build

PACKAGE = build.PROJECT_ROOT / "esimfly_desktop"
MARKERS = {"_": 1, "ngettext": 2, "N_": 1}

# The marking functions themselves translate a variable by design.
EXEMPT_FILES = {PACKAGE / "i18n" / "catalogs.py"}


def _source_files() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path not in EXEMPT_FILES]


def _marker_calls(tree: ast.AST) -> Iterator[tuple[ast.Call, bool]]:
    """Yield each call of a marking function and whether it runs inside a function."""

    def visit(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.Call, bool]]:
        function = node.func if isinstance(node, ast.Call) else None
        if isinstance(function, ast.Name) and function.id in MARKERS:
            yield node, in_function
        inside = in_function or isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inside)

    yield from visit(tree, False)


def _problems_in(path: Path, label: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    for call, in_function in _marker_calls(tree):
        name = ast.unparse(call.func)
        for argument in call.args[: MARKERS[name]]:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                problems.append(
                    f"{label}:{call.lineno}: {name}() needs a string literal, "
                    f"not {ast.unparse(argument)[:50]}"
                )
        if name != "N_" and not in_function:
            problems.append(
                f"{label}:{call.lineno}: {name}() runs at import time; use N_ for constants"
            )
    return problems


@pytest.mark.parametrize("path", _source_files(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_marked_text_is_literal_and_late(path: Path) -> None:
    problems = _problems_in(path, str(path.relative_to(build.PROJECT_ROOT)))

    assert problems == [], "\n".join(problems)


def test_no_translation_in_builtins() -> None:
    offenders = [
        str(path.relative_to(build.PROJECT_ROOT))
        for path in _source_files()
        if "builtins._" in path.read_text(encoding="utf-8")
        or "gettext.install(" in path.read_text(encoding="utf-8")
    ]

    assert offenders == []


def test_placeholders_have_names() -> None:
    template = build.read_catalog(build.TEMPLATE)
    unnamed = []
    for message in template:
        texts = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in texts:
            for _literal, field, _spec, _conversion in string.Formatter().parse(text):
                if field is not None and not field.isidentifier():
                    unnamed.append(text)

    assert unnamed == []


def test_checker_flags_bad_marking(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from esimfly_desktop.i18n import _\n"
        "TITLE = _('Catalog')\n"
        "def label(name):\n"
        "    return _(f'Hello {name}')\n",
        encoding="utf-8",
    )

    problems = _problems_in(sample, "sample.py")

    assert problems == [
        "sample.py:2: _() runs at import time; use N_ for constants",
        "sample.py:4: _() needs a string literal, not f'Hello {name}'",
    ]
